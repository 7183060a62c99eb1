package dev.basalt.rbd;

/** Binds a class's native methods to a shared library, failing with the Debian package to install. */
final class NativeLibraries {
    private NativeLibraries() {
    }

    static void register(Class<?> functions, String library, String debianPackage) {
        try {
            com.sun.jna.Native.register(functions, library);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot load " + library + " (apt-get install " + debianPackage + "): "
                    + e.getMessage(), e);
        }
    }
}
