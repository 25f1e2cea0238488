package org.arcstream.trainer.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** The frame shared by the charts: white canvas, plot area with margins, title, axis labels, legend, PNG output. */
final class ChartCanvas {

    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd)};

    final int width;
    final int height;
    final int left = 70;
    final int right = 20;
    final int top = 40;
    final int bottom = 50;
    final BufferedImage image;
    final Graphics2D g;
    private int legendRow;
    boolean legendAtBottom;

    ChartCanvas(int width, int height, String title, String xLabel, String yLabel) {
        System.setProperty("java.awt.headless", "true");
        this.width = width;
        this.height = height;
        this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        this.g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(xLabel, left + plotWidth() / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, height - 10);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(top + plotHeight() / 2 + g.getFontMetrics().stringWidth(yLabel) / 2), 16);
        rotated.dispose();
        g.drawRect(left, top, plotWidth(), plotHeight());
    }

    int plotWidth() {
        return width - left - right;
    }

    int plotHeight() {
        return height - top - bottom;
    }

    /** Pixel column of a fraction 0..1 of the x range. */
    int px(double fraction) {
        return left + (int) Math.round(fraction * plotWidth());
    }

    /** Pixel row of a fraction 0..1 of the y range (0 at the bottom). */
    int py(double fraction) {
        return top + plotHeight() - (int) Math.round(fraction * plotHeight());
    }

    void xTick(double fraction, String label) {
        g.setColor(new Color(0xdddddd));
        g.drawLine(px(fraction), top, px(fraction), top + plotHeight());
        g.setColor(Color.BLACK);
        g.drawString(label, px(fraction) - g.getFontMetrics().stringWidth(label) / 2, top + plotHeight() + 16);
    }

    void yTick(double fraction, String label) {
        g.setColor(new Color(0xdddddd));
        g.drawLine(left, py(fraction), left + plotWidth(), py(fraction));
        g.setColor(Color.BLACK);
        g.drawString(label, left - 6 - g.getFontMetrics().stringWidth(label), py(fraction) + 4);
    }

    void series(int index, String name, int[] xs, int[] ys, int n) {
        Color c = PALETTE[index % PALETTE.length];
        g.setColor(c);
        g.setStroke(new BasicStroke(2f));
        if (n == 1) {
            g.fillOval(xs[0] - 3, ys[0] - 3, 6, 6);
        } else {
            g.drawPolyline(xs, ys, n);
        }
        // legend rows are right-aligned; ROC curves leave the lower right corner free, loss curves the upper right
        int y = legendAtBottom ? top + plotHeight() - 10 - 16 * legendRow++ : top + 16 + 16 * legendRow++;
        int textX = left + plotWidth() - 8 - g.getFontMetrics().stringWidth(name);
        g.fillRect(textX - 20, y - 6, 14, 4);
        g.setColor(Color.BLACK);
        g.drawString(name, textX, y);
        g.setStroke(new BasicStroke(1f));
    }

    byte[] png() {
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void write(Path file, byte[] png) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String format(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 1000 || a < 0.01 ? String.format("%.1e", v) : a >= 10 ? String.format("%.0f", v) : String.format("%.2f", v);
    }
}
