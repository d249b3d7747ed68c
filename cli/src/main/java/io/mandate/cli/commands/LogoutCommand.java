package io.mandate.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mandate.cli.Exit;
import io.mandate.cli.Session;
import io.mandate.client.MandateException;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "logout", mixinStandardHelpOptions = true,
        description = "Signs you out: a person's tokens stop working at every service, and the profile forgets the token.")
public class LogoutCommand extends BaseCommand {

    @Override
    public Integer call() {
        Session session = session();
        ObjectNode profile = session.profile();
        if (profile.hasNonNull("username")) {
            try {
                api().post(Session.Service.TOKEN, "/v1/auth/logout", null);
            } catch (MandateException e) {
                err().println("note: Mandate did not sign the token out (" + e.getMessage() + "); it is forgotten here");
            }
        }
        profile.remove(List.of("token", "token_expires_at", "username"));
        session.profiles().save();
        out().println("Signed out (profile " + session.profileName() + ").");
        return Exit.OK;
    }
}
