package io.mandate.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.cli.Api;
import io.mandate.cli.Exit;
import io.mandate.cli.Main;
import io.mandate.cli.Output;
import io.mandate.cli.Session;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command has: the run's {@link Session}, its output, and exit 0 unless it says otherwise. */
abstract class BaseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private Session session;

    Session session() {
        if (session == null) {
            session = ((Main) spec.root().userObject()).session();
        }
        return session;
    }

    Api api() {
        return session().api();
    }

    Output output() {
        return session().output();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints one object and exits 0. */
    int show(JsonNode answer) {
        output().object(out(), answer);
        return Exit.OK;
    }

    /** Prints a list with these columns and exits 0. */
    int list(JsonNode answer, String... columns) {
        output().list(out(), answer, columns);
        return Exit.OK;
    }

    /** A secret shown once (an API key, a webhook secret): said plainly on stderr in table mode. */
    void warnShownOnce(String what) {
        if (!output().json()) {
            err().println("note: the " + what + " is shown once; keep it now");
        }
    }

    @Override
    public abstract Integer call() throws Exception;
}
