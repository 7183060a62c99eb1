package dev.basalt.common;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/**
 * This process's log levels, read and changed at run time (the {@code get-log} and
 * {@code set-log} service actions), in Cinder's level names (DEBUG, INFO, WARNING, ERROR).
 * Works when SLF4J is bound to Logback, as Basalt ships; otherwise it reports nothing.
 */
public final class LogLevels {
    /** Effective level of every known logger whose name starts with {@code prefix} (all when empty). */
    public Map<String, String> get(String prefix) {
        Map<String, String> levels = new TreeMap<>();
        LoggerContext context = context();
        if (context == null) {
            return levels;
        }
        String p = prefix == null ? "" : prefix;
        for (Logger logger : context.getLoggerList()) {
            String name = logger.getName();
            if (!name.equals(Logger.ROOT_LOGGER_NAME) && name.startsWith(p)) {
                levels.put(name, cinderName(logger.getEffectiveLevel()));
            }
        }
        return levels;
    }

    /** Sets {@code level} on every known logger whose name starts with {@code prefix}, and on the prefix itself. */
    public void set(String prefix, String level) {
        LoggerContext context = context();
        if (context == null) {
            return;
        }
        Level target = logbackLevel(level);
        String p = prefix == null ? "" : prefix;
        if (!p.isEmpty()) {
            context.getLogger(p).setLevel(target);
        }
        for (Logger logger : context.getLoggerList()) {
            if (!logger.getName().equals(Logger.ROOT_LOGGER_NAME) && logger.getName().startsWith(p)) {
                logger.setLevel(target);
            }
        }
    }

    private static LoggerContext context() {
        return LoggerFactory.getILoggerFactory() instanceof LoggerContext c ? c : null;
    }

    private static String cinderName(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return "ERROR";
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return "WARNING";
        }
        return level.isGreaterOrEqual(Level.INFO) ? "INFO" : "DEBUG";
    }

    private static Level logbackLevel(String cinderLevel) {
        return switch (cinderLevel.toUpperCase(Locale.ROOT)) {
            case "DEBUG" -> Level.DEBUG;
            case "INFO" -> Level.INFO;
            case "WARNING" -> Level.WARN;
            case "ERROR" -> Level.ERROR;
            default -> throw new IllegalArgumentException("not a log level: " + cinderLevel);
        };
    }
}
