package org.arcstream.core.landmark;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.util.ArrayList;
import java.util.List;
import org.arcstream.core.detect.FaceBox;
import org.arcstream.core.image.RgbImage;

/** Pre- and post-processing of the 68-point landmark model: 64x64 grey crops in, normalized points out. */
public final class LandmarkTranslator implements NoBatchifyTranslator<LandmarkTranslator.Request, List<FacialLandmarks>> {

    /** The faces of one image whose landmarks are wanted. */
    public record Request(RgbImage image, List<FaceBox> faces) {}

    static final int INPUT_SIZE = 64;
    private static final String CROPS = "crops";

    @Override
    public NDList processInput(TranslatorContext ctx, Request request) {
        int n = request.faces().size();
        int plane = INPUT_SIZE * INPUT_SIZE;
        float[] batch = new float[n * plane];
        List<LandmarkCrop> crops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LandmarkCrop crop = LandmarkCrop.around(request.faces().get(i));
            System.arraycopy(crop.greyInput(request.image(), INPUT_SIZE), 0, batch, i * plane, plane);
            crops.add(crop);
        }
        ctx.setAttachment(CROPS, crops);
        return new NDList(ctx.getNDManager().create(batch, new Shape(n, 1, INPUT_SIZE, INPUT_SIZE)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<FacialLandmarks> processOutput(TranslatorContext ctx, NDList list) {
        List<LandmarkCrop> crops = (List<LandmarkCrop>) ctx.getAttachment(CROPS);
        float[] out = list.get(0).toFloatArray();
        int per = out.length / crops.size();
        List<FacialLandmarks> result = new ArrayList<>(crops.size());
        for (int i = 0; i < crops.size(); i++) {
            float[] one = new float[per];
            System.arraycopy(out, i * per, one, 0, per);
            result.add(crops.get(i).toImage(one));
        }
        return result;
    }
}
