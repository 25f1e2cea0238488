package org.arcstream.embedder.delivery;

import java.io.IOException;
import java.nio.file.Path;

/** One kind of remote model location, read in attempts that each continue the partial file where the last one stopped. */
interface ResumableSource {

    /**
     * Appends the rest of the file to {@code partial} (starting over when the source cannot resume).
     *
     * @throws IOException a failure worth another attempt (connection broken, timeout, server error)
     * @throws DownloadRefusedException a failure no attempt can mend (too large, not found, access denied, other file)
     */
    void attempt(Path partial) throws IOException;
}
