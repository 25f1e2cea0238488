package org.arcstream.ingest.source;

import java.awt.image.BufferedImage;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Video files and RTSP streams decoded by FFmpeg, each picture re-encoded as JPEG. A video file's
 * frames carry the time the file was opened plus their presentation time, so that their spacing is
 * the video's; an RTSP frame carries the time it was decoded.
 */
final class FfmpegSource implements FrameSource {

    static {
        // FFmpeg writes every recoverable glitch of a network stream to stderr otherwise
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private final String location;
    private final boolean live;
    private final FFmpegFrameGrabber grabber;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    private final JpegEncoder encoder;
    private final long openedAtMillis;
    private long index;

    private FfmpegSource(String location, boolean live, FFmpegFrameGrabber grabber, float jpegQuality) {
        this.location = location;
        this.live = live;
        this.grabber = grabber;
        this.encoder = new JpegEncoder(jpegQuality);
        this.openedAtMillis = System.currentTimeMillis();
    }

    /** A local video file in any container and codec FFmpeg reads. */
    static FfmpegSource openFile(String path, SourceOptions options) throws FrameSourceException {
        return open(path, path, new FFmpegFrameGrabber(path), false, options);
    }

    /** An RTSP camera over TCP (interleaved; UDP is lost on most networks between cameras and servers). */
    static FfmpegSource openRtsp(String url, SourceOptions options) throws FrameSourceException {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(url);
        grabber.setFormat("rtsp");
        grabber.setOption("rtsp_transport", "tcp");
        // socket I/O timeout of the RTSP demuxer, in microseconds
        grabber.setOption("timeout", Long.toString(options.readTimeout().toNanos() / 1000));
        return open(url, Locations.redact(url), grabber, true, options);
    }

    private static FfmpegSource open(String target, String location, FFmpegFrameGrabber grabber, boolean live, SourceOptions options)
            throws FrameSourceException {
        // JavaCV's interrupt callback bounds the blocking calls of open and read alike
        grabber.setTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(options.connectTimeout().toMillis(), options.readTimeout().toMillis())));
        grabber.setImageMode(FrameGrabber.ImageMode.COLOR);
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            release(grabber);
            // JavaCV quotes the URL it was given, password included
            throw new FrameSourceException(location, "cannot open " + (live ? "stream" : "video") + ": "
                    + reason(e).replace(target, location), null);
        }
        if (!grabber.hasVideo()) {
            release(grabber);
            throw new FrameSourceException(location, "no video stream in it");
        }
        return new FfmpegSource(location, live, grabber, options.jpegQuality());
    }

    @Override
    public Optional<SourceFrame> next() throws FrameSourceException {
        Frame frame;
        try {
            frame = grabber.grabImage();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new FrameSourceException(location, "cannot read frame " + index + ": " + reason(e), e);
        }
        if (frame == null) {
            return Optional.empty();
        }
        BufferedImage image = converter.convert(frame);
        if (image == null) {
            throw new FrameSourceException(location, "frame " + index + " has no picture");
        }
        long captured = live ? System.currentTimeMillis() : openedAtMillis + Math.max(0, frame.timestamp) / 1000;
        String origin = live ? location : location + "#frame " + index;
        index++;
        return Optional.of(new SourceFrame(encoder.encode(image), ImageFormat.JPEG, captured, origin));
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void release(FFmpegFrameGrabber grabber) {
        try {
            grabber.release();
        } catch (FrameGrabber.Exception | RuntimeException ignored) {
            // nothing more can be done with a grabber that failed to open
        }
    }

    @Override
    public boolean live() {
        return live;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public void close() {
        release(grabber);
        converter.close();
        encoder.close();
    }
}
