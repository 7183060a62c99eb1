package dev.basalt.server;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code basalt} command: run roles, or administer an installation. */
@Command(name = "basalt", mixinStandardHelpOptions = true, version = "Basalt 0.1.0",
        description = "Block storage speaking the OpenStack Block Storage API v3.",
        subcommands = {RunCommand.All.class, RunCommand.Api.class, RunCommand.Scheduler.class,
                RunCommand.Volume.class, RunCommand.Backup.class, ManageCommand.class})
public final class BasaltCommand implements Callable<Integer> {

    public static void main(String[] args) {
        int exit = new CommandLine(new BasaltCommand())
                .setExecutionExceptionHandler(new StartupErrorHandler())
                .execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }
}
