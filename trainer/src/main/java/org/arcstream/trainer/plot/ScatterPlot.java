package org.arcstream.trainer.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Side-by-side scatter plots of labelled points, one colour per class, drawn with Java2D (no display
 * needed). Two-dimensional points are plotted on plain axes; three-dimensional points are shown in
 * an oblique view inside their bounding sphere, far points fainter; points with more dimensions are
 * first reduced to their three principal components. Classes listed as highlighted (e.g. held out
 * of training) are drawn as rings instead of dots.
 */
public final class ScatterPlot {

    /** One plot: a title, points (rows of equal length, at least 2) and a class index per point. */
    public record Panel(String title, float[][] points, int[] classes) {
        public Panel {
            Objects.requireNonNull(title, "title");
            if (points.length != classes.length) {
                throw new IllegalArgumentException(points.length + " points but " + classes.length + " classes");
            }
            int dims = points.length == 0 ? 2 : points[0].length;
            for (float[] p : points) {
                if (p.length != dims || dims < 2) {
                    throw new IllegalArgumentException("points must all have the same dimension, at least 2");
                }
            }
        }

        int dimensions() {
            return points.length == 0 ? 2 : points[0].length;
        }
    }

    // a qualitative palette that stays distinguishable for ten classes
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)
    };
    private static final int TITLE_BAND = 34;
    private static final double AZIMUTH = Math.toRadians(35);
    private static final double ELEVATION = Math.toRadians(25);

    private final List<String> classNames;
    private final Set<Integer> highlighted;
    private final String highlightNote;
    private final int panelSize;

    /**
     * @param classNames    legend label of each class index
     * @param highlighted   classes drawn as rings
     * @param highlightNote legend suffix of the highlighted classes, e.g. "held out"
     * @param panelSize     side of each square panel in pixels; the image is {@code panels * panelSize} by {@code panelSize}
     */
    public ScatterPlot(List<String> classNames, Set<Integer> highlighted, String highlightNote, int panelSize) {
        if (panelSize < 200) {
            throw new IllegalArgumentException("panel size must be at least 200 pixels, got " + panelSize);
        }
        this.classNames = List.copyOf(classNames);
        this.highlighted = Set.copyOf(highlighted);
        this.highlightNote = highlightNote;
        this.panelSize = panelSize;
    }

    public BufferedImage render(List<Panel> panels) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("nothing to plot");
        }
        BufferedImage image = new BufferedImage(panels.size() * panelSize, panelSize, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            int legendBand = legendHeight(g, image.getWidth());
            for (int i = 0; i < panels.size(); i++) {
                drawPanel(g, panels.get(i), i * panelSize, legendBand);
            }
            drawLegend(g, image.getWidth(), image.getHeight() - legendBand);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Renders the panels and writes them as a PNG, creating missing parent folders. */
    public void write(Path png, List<Panel> panels) throws IOException {
        BufferedImage image = render(panels);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer available for " + png);
        }
    }

    private void drawPanel(Graphics2D g, Panel panel, int left, int legendBand) {
        int plotTop = TITLE_BAND, plotSize = panelSize - TITLE_BAND - legendBand;
        g.setColor(Color.DARK_GRAY);
        g.setFont(g.getFont().deriveFont(Font.BOLD, 15f));
        String title = panel.dimensions() > 3 ? panel.title() + " (PCA of " + panel.dimensions() + "-D)" : panel.title();
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, left + (panelSize - fm.stringWidth(title)) / 2, 22);
        if (plotSize < 50) {
            return;
        }
        double cx = left + panelSize / 2.0, cy = plotTop + plotSize / 2.0, half = plotSize / 2.0 - 12;
        if (panel.dimensions() == 2) {
            drawFlat(g, panel, cx, cy, half);
        } else {
            drawOblique(g, panel, cx, cy, half);
        }
        g.setColor(new Color(0xdddddd));
        g.setStroke(new BasicStroke(1f));
        g.drawLine(left + panelSize - 1, 0, left + panelSize - 1, panelSize);
    }

    private void drawFlat(Graphics2D g, Panel panel, double cx, double cy, double half) {
        double extent = 1e-9;
        for (float[] p : panel.points()) {
            extent = Math.max(extent, Math.max(Math.abs(p[0]), Math.abs(p[1])));
        }
        double scale = half / extent;
        g.setColor(new Color(0xbbbbbb));
        g.setStroke(new BasicStroke(1f));
        g.draw(new Line2D.Double(cx - half, cy, cx + half, cy));
        g.draw(new Line2D.Double(cx, cy - half, cx, cy + half));
        for (int i = 0; i < panel.points().length; i++) {
            float[] p = panel.points()[i];
            dot(g, panel.classes()[i], cx + p[0] * scale, cy - p[1] * scale, 1f);
        }
    }

    private void drawOblique(Graphics2D g, Panel panel, double cx, double cy, double half) {
        float[][] xyz = panel.dimensions() == 3 ? panel.points() : PrincipalComponents.project(panel.points(), 3);
        double radius = 1e-9;
        for (float[] p : xyz) {
            radius = Math.max(radius, Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]));
        }
        double scale = half / radius;
        // the bounding sphere's outline and its equator give the eye a reference for depth
        g.setColor(new Color(0xcccccc));
        g.setStroke(new BasicStroke(1f));
        g.draw(new Ellipse2D.Double(cx - half, cy - half, 2 * half, 2 * half));
        double equator = half * Math.sin(ELEVATION);
        g.draw(new Ellipse2D.Double(cx - half, cy - equator, 2 * half, 2 * equator));
        for (int axis = 0; axis < 3; axis++) {
            double[] unit = new double[3];
            unit[axis] = radius;
            double[] s = view(unit);
            g.draw(new Line2D.Double(cx, cy, cx + s[0] * scale, cy - s[1] * scale));
            g.drawString(String.valueOf("xyz".charAt(axis)), (float) (cx + s[0] * scale * 1.04), (float) (cy - s[1] * scale * 1.04));
        }
        Integer[] order = new Integer[xyz.length];
        double[][] screen = new double[xyz.length][];
        for (int i = 0; i < xyz.length; i++) {
            order[i] = i;
            screen[i] = view(new double[] {xyz[i][0], xyz[i][1], xyz[i][2]});
        }
        // painter's algorithm: far points first, so near ones stay on top
        Arrays.sort(order, Comparator.comparingDouble(i -> screen[i][2]));
        for (int i : order) {
            double nearness = (screen[i][2] / radius + 1) / 2; // 0 = far side, 1 = near side
            dot(g, panel.classes()[i], cx + screen[i][0] * scale, cy - screen[i][1] * scale, (float) (0.25 + 0.75 * nearness));
        }
    }

    /** Screen x, screen y (up) and depth (towards the viewer) of a point seen from the fixed camera. */
    private static double[] view(double[] p) {
        double ca = Math.cos(AZIMUTH), sa = Math.sin(AZIMUTH), ce = Math.cos(ELEVATION), se = Math.sin(ELEVATION);
        double sx = -sa * p[0] + ca * p[1];
        double sy = -se * ca * p[0] - se * sa * p[1] + ce * p[2];
        double depth = ce * ca * p[0] + ce * sa * p[1] + se * p[2];
        return new double[] {sx, sy, depth};
    }

    private void dot(Graphics2D g, int cls, double x, double y, float opacity) {
        Color base = colour(cls);
        Color c = blend(base, Color.WHITE, 1 - Math.max(0f, Math.min(1f, opacity)));
        g.setColor(c);
        double r = 2.6;
        if (highlighted.contains(cls)) {
            g.setStroke(new BasicStroke(1.2f));
            g.draw(new Ellipse2D.Double(x - r - 0.5, y - r - 0.5, 2 * r + 1, 2 * r + 1));
        } else {
            g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
        }
    }

    private int legendHeight(Graphics2D g, int width) {
        return legendRows(g, width).size() * 20 + 12;
    }

    private List<List<Integer>> legendRows(Graphics2D g, int width) {
        g.setFont(g.getFont().deriveFont(Font.PLAIN, 13f));
        FontMetrics fm = g.getFontMetrics();
        List<List<Integer>> rows = new ArrayList<>();
        List<Integer> row = new ArrayList<>();
        int used = 10;
        for (int c = 0; c < classNames.size(); c++) {
            int w = 22 + fm.stringWidth(legendLabel(c)) + 16;
            if (!row.isEmpty() && used + w > width - 10) {
                rows.add(row);
                row = new ArrayList<>();
                used = 10;
            }
            row.add(c);
            used += w;
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        return rows;
    }

    private void drawLegend(Graphics2D g, int width, int top) {
        List<List<Integer>> rows = legendRows(g, width);
        FontMetrics fm = g.getFontMetrics();
        int y = top + 16;
        for (List<Integer> row : rows) {
            int x = 10;
            for (int c : row) {
                dot(g, c, x + 6, y - 4, 1f);
                g.setColor(Color.DARK_GRAY);
                g.drawString(legendLabel(c), x + 16, y);
                x += 22 + fm.stringWidth(legendLabel(c)) + 16;
            }
            y += 20;
        }
    }

    private String legendLabel(int cls) {
        return highlighted.contains(cls) && highlightNote != null ? classNames.get(cls) + " (" + highlightNote + ")" : classNames.get(cls);
    }

    private static Color colour(int cls) {
        Color base = PALETTE[Math.floorMod(cls, PALETTE.length)];
        // beyond ten classes the palette repeats darker
        return cls >= PALETTE.length ? base.darker() : base;
    }

    private static Color blend(Color a, Color b, float t) {
        return new Color(
                Math.round(a.getRed() * (1 - t) + b.getRed() * t),
                Math.round(a.getGreen() * (1 - t) + b.getGreen() * t),
                Math.round(a.getBlue() * (1 - t) + b.getBlue() * t));
    }
}
