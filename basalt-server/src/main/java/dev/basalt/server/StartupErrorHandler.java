package dev.basalt.server;

import dev.basalt.common.BasaltException;
import dev.basalt.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints a failure to start as one line an operator can act on (a bad option, an unusable
 * directory, a database that cannot be reached) instead of a stack trace; exit code 2.
 */
final class StartupErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        if (e instanceof ConfigException || e instanceof BasaltException || e instanceof StartupException) {
            cmd.getErr().println("basalt: " + e.getMessage());
            return 2;
        }
        cmd.getErr().println("basalt: failed to start: " + e);
        e.printStackTrace(cmd.getErr());
        return 1;
    }
}
