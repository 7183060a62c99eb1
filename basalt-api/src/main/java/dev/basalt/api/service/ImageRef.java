package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

/**
 * The image a caller wants a new volume made from ({@code imageRef} or {@code image_id}: an id, a
 * URL ending in one, or a name) and the caller's token, which Glance is asked with.
 *
 * @param authToken the caller's {@code X-Auth-Token}; null when there is none
 */
public record ImageRef(String ref, String authToken) {
    public ImageRef {
        requireNonNull(ref, "ref");
    }

    @Override
    public String toString() {
        return "ImageRef[ref=" + ref + ", authToken=***]";
    }
}
