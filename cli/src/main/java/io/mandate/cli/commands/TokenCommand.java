package io.mandate.cli.commands;

import picocli.CommandLine.Command;

@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Access tokens: get one, look inside one, check one, or mint test tokens for your own tests.",
        subcommands = {TokenGet.class, TokenDecode.class, TokenVerify.class, TokenMintTest.class})
public class TokenCommand {
}
