package io.mandate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Python SDK's pytest suite (sdk/python/tests) against the running platform, with Debian's python3, httpx,
 * cryptography and pytest: the offline tests and every test marked platform, none of them skipped.
 */
class PythonSdkIT {

    @BeforeAll
    static void platform() throws Exception {
        Platform.start();
    }

    @Test
    void thePythonSdkPassesItsTestsAgainstThePlatform() throws Exception {
        Path sdk = Path.of(System.getProperty("mandate.root", ".."), "sdk", "python").toAbsolutePath().normalize();
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Path log = Path.of("target", "logs", "python-sdk.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pytest = new ProcessBuilder(List.of(python, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                "tests")).directory(sdk.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pytest.environment().put("PYTHONPATH", sdk.toString());
        pytest.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        pytest.environment().put("MANDATE_URL", Platform.token.url());
        pytest.environment().put("MANDATE_ADMIN_TOKEN", Platform.ADMIN_TOKEN);
        Process process = pytest.start();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "pytest did not finish within 10 minutes");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains(" passed"), output);
        assertFalse(output.contains("skipped"), "every platform test ran: " + output);
    }
}
