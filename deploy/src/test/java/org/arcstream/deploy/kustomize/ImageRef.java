package org.arcstream.deploy.kustomize;

/** An image reference split into name, tag and digest ({@code name[:tag][@digest]}). */
public record ImageRef(String name, String tag, String digest) {

    public static ImageRef parse(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("empty image reference");
        }
        String rest = reference;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        return new ImageRef(rest, tag, digest);
    }

    /**
     * The registry host the reference names, or null when it names none (the runtime's default applies).
     * As in Docker's rules: a first path component with a dot or a port, or {@code localhost}, is a host.
     */
    public String registryHost() {
        int slash = name.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String first = name.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : null;
    }

    @Override
    public String toString() {
        return name + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
