package org.arcstream.core.pipeline;

import java.util.List;

/**
 * What the pipeline made of one image of a batch: its faces (best score first, embedded), or the error that
 * stopped it. An image that failed costs the other images of the batch nothing.
 */
public record ImageFaces(List<Face> faces, RuntimeException error) {

    public ImageFaces {
        if ((faces == null) == (error == null)) {
            throw new IllegalArgumentException("an image has either faces or an error");
        }
        faces = faces == null ? null : List.copyOf(faces);
    }

    public static ImageFaces of(List<Face> faces) {
        return new ImageFaces(faces, null);
    }

    public static ImageFaces failed(RuntimeException error) {
        return new ImageFaces(null, error);
    }

    public boolean ok() {
        return error == null;
    }

    /** The faces; for an image that failed, its error. */
    public List<Face> orThrow() {
        if (error != null) {
            throw error;
        }
        return faces;
    }
}
