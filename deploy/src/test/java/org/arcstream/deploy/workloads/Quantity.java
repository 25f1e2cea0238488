package org.arcstream.deploy.workloads;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** Kubernetes resource quantities ({@code 250m}, {@code 2}, {@code 512Mi}, {@code 1G}) as numbers. */
public final class Quantity {

    private static final Map<String, BigDecimal> SUFFIXES = new LinkedHashMap<>();

    static {
        // two-letter suffixes first, so that "Mi" is not read as "M"
        SUFFIXES.put("Ki", BigDecimal.valueOf(1L << 10));
        SUFFIXES.put("Mi", BigDecimal.valueOf(1L << 20));
        SUFFIXES.put("Gi", BigDecimal.valueOf(1L << 30));
        SUFFIXES.put("Ti", BigDecimal.valueOf(1L << 40));
        SUFFIXES.put("m", new BigDecimal("0.001"));
        SUFFIXES.put("k", BigDecimal.valueOf(1_000L));
        SUFFIXES.put("M", BigDecimal.valueOf(1_000_000L));
        SUFFIXES.put("G", BigDecimal.valueOf(1_000_000_000L));
        SUFFIXES.put("T", BigDecimal.valueOf(1_000_000_000_000L));
    }

    private Quantity() {
    }

    public static BigDecimal parse(Object quantity) {
        if (quantity == null) {
            throw new IllegalArgumentException("no quantity");
        }
        String text = quantity.toString().strip();
        for (Map.Entry<String, BigDecimal> suffix : SUFFIXES.entrySet()) {
            if (text.endsWith(suffix.getKey())) {
                return new BigDecimal(text.substring(0, text.length() - suffix.getKey().length())).multiply(suffix.getValue());
            }
        }
        return new BigDecimal(text);
    }
}
