package io.mandate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * The command reference (docs/reference/cli.md), generated from the commands themselves: every command's
 * {@code --help}, in order. {@code bin/reference} writes it; {@code ReferenceTest} fails when it is out of date.
 */
public final class Reference {

    private Reference() {
    }

    public static String markdown() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.println("# `mandate` command reference");
        out.println();
        out.println("Generated from the code by `bin/reference`; do not edit. Getting started: [../cli.md](../cli.md).");
        write(out, new CommandLine(new Main()), 2);
        out.flush();
        return text.toString();
    }

    private static void write(PrintWriter out, CommandLine command, int depth) {
        if (command.getCommandSpec().name().equals("help")) {
            return;
        }
        out.println();
        out.println("#".repeat(depth) + " `" + command.getCommandSpec().qualifiedName() + "`");
        out.println();
        out.println("```");
        out.print(command.getUsageMessage(Ansi.OFF).stripTrailing().replace("\r", ""));
        out.println();
        out.println("```");
        for (CommandLine sub : command.getSubcommands().values()) {
            write(out, sub, Math.min(depth + 1, 4));
        }
    }

    public static void main(String[] args) {
        byte[] bytes = markdown().getBytes(StandardCharsets.UTF_8);
        System.out.write(bytes, 0, bytes.length);
        System.out.flush();
    }
}
