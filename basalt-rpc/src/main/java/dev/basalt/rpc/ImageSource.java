package dev.basalt.rpc;

import static java.util.Objects.requireNonNull;

/**
 * The Glance image a new volume is made from, and how the volume service fetches it: the Image
 * service's endpoint the api chose (from {@code glance_api_servers} or the caller's catalog) and
 * the caller's token, as Cinder passes its request context along.
 *
 * @param authToken the caller's token (null without auth); never printed
 */
public record ImageSource(String imageId, String glanceEndpoint, String authToken) {
    public ImageSource {
        requireNonNull(imageId, "imageId");
        requireNonNull(glanceEndpoint, "glanceEndpoint");
    }

    @Override
    public String toString() {
        return "ImageSource[imageId=" + imageId + ", glanceEndpoint=" + glanceEndpoint + ", authToken=***]";
    }
}
