package io.mandate.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (apt-get install chromium
 * chromium-driver): nothing is downloaded. Screenshots of the pages go to {@code docs/screenshots/}.
 */
final class Chromium {

    static final Path SCREENSHOTS = Path.of("..", "docs", "screenshots");
    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    static ChromeDriver start() {
        if (!Files.isExecutable(BINARY) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("the browser tests need Debian's Chromium and its driver: "
                    + "apt-get install chromium chromium-driver");
        }
        ChromeOptions options = new ChromeOptions().setBinary(BINARY.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The page as a person sees it at a desktop width and at a phone's: {@code <name>-wide.png}, {@code <name>-narrow.png}. */
    static void screenshots(ChromeDriver browser, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Dimension before = browser.manage().window().getSize();
        shot(browser, name + "-wide.png", new Dimension(1280, 900));
        shot(browser, name + "-narrow.png", new Dimension(390, 1000));
        browser.manage().window().setSize(before);
    }

    private static void shot(ChromeDriver browser, String file, Dimension size) throws IOException {
        browser.manage().window().setSize(size);
        Files.write(SCREENSHOTS.resolve(file), browser.getScreenshotAs(OutputType.BYTES));
    }
}
