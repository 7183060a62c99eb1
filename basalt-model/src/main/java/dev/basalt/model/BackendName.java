package dev.basalt.model;

/**
 * Helpers for Cinder's location strings: {@code host@backend#pool}. The volume service of a
 * backend is addressed by {@code host@backend}; the scheduler places volumes into pools.
 */
public final class BackendName {
    private BackendName() {
    }

    public static String backendOf(String hostWithPool) {
        int hash = hostWithPool.indexOf('#');
        return hash < 0 ? hostWithPool : hostWithPool.substring(0, hash);
    }

    public static String poolOf(String hostWithPool) {
        int hash = hostWithPool.indexOf('#');
        return hash < 0 ? null : hostWithPool.substring(hash + 1);
    }

    /**
     * The host part of {@code host@backend#pool} (before {@code @}, else before {@code #}): where a
     * backup service serves the volumes of that host. Null for null (an unplaced volume).
     */
    public static String hostOf(String hostWithPool) {
        if (hostWithPool == null) {
            return null;
        }
        int at = hostWithPool.indexOf('@');
        int pool = hostWithPool.indexOf('#');
        int end = at >= 0 ? at : pool >= 0 ? pool : hostWithPool.length();
        return hostWithPool.substring(0, end);
    }

    public static String withPool(String backend, String pool) {
        return backend + "#" + pool;
    }
}
