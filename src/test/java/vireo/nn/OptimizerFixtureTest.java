package vireo.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import vireo.tensor.Fixture;
import vireo.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Four steps of each optimizer on fixed parameters and gradients, against torch.optim (fixture "optimizers"). */
class OptimizerFixtureTest {
    static Optimizer make(String config, List<Tensor> ps) {
        return switch (config) {
            case "sgd" -> new Sgd(ps, 0.1);
            case "sgd_momentum" -> new Sgd(ps, 0.05, 0.9, 0.1, 0.01, false);
            case "sgd_nesterov" -> new Sgd(ps, 0.05, 0.8, 0, 0.02, true);
            case "adam" -> new Adam(ps, 1e-2);
            case "adam_wd" -> new Adam(ps, 1e-2, 0.8, 0.99, 1e-6, 0.1);
            case "adamw" -> new AdamW(ps, 1e-2);
            case "adamw_sched" -> new AdamW(ps, 0.1, 0.9, 0.999, 1e-8, 0.05);
            default -> throw new IllegalArgumentException(config);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "sgd_momentum", "sgd_nesterov", "adam", "adam_wd", "adamw", "adamw_sched"})
    void matchesTorchWithin1e6(String config) {
        Fixture f = Fixture.load("optimizers");
        Tensor p0 = f.leaf("p0"), p1 = f.leaf("p1");
        Optimizer opt = make(config, List.of(p0, p1));
        MultiStepLR sched = config.equals("adamw_sched") ? new MultiStepLR(opt, new int[]{1, 3}, 0.5) : null;
        for (int t = 0; t < 4; t++) {
            p0.grad = f.get("g" + t + "_0").data.clone();
            p1.grad = f.get("g" + t + "_1").data.clone();
            opt.step();
            if (sched != null) {
                sched.step();
                assertEquals(f.params().get("sched_lrs").get(t).asDouble(), opt.lr(), 1e-12);
            }
            f.assertClose(config + "_" + t + "_0", p0, 1e-6, 0);
            f.assertClose(config + "_" + t + "_1", p1, 1e-6, 0);
        }
    }

    @Test
    void parametersWithoutGradientsAreLeftAlone() {
        Tensor p = Tensor.full(2f, 3).requiresGrad(true);
        for (Function<List<Tensor>, Optimizer> make : List.<Function<List<Tensor>, Optimizer>>of(
                ps -> new Sgd(ps, 0.1, 0.9, 0, 0.1, false), ps -> new Adam(ps, 0.1), ps -> new AdamW(ps, 0.1))) {
            make.apply(List.of(p)).step();
            assertEquals(2f, p.data[0]);
        }
    }

    @Test
    void resumingFromSavedStateContinuesExactly() {
        Fixture f = Fixture.load("optimizers");
        for (String config : List.of("adamw", "adam_wd", "sgd_nesterov")) {
            Tensor a = f.leaf("p0"), b = f.leaf("p0");
            Optimizer straight = make(config, List.of(a)), first = make(config, List.of(b));
            for (int t = 0; t < 2; t++) {
                a.grad = f.get("g" + t + "_0").data.clone();
                b.grad = a.grad.clone();
                straight.step();
                first.step();
            }
            Tensor c = b.detach().requiresGrad(true);
            Optimizer resumed = make(config, List.of(c));
            if (first instanceof Adam adam) ((Adam) resumed).setState(c, adam.state(b));
            if (first instanceof Sgd sgd) ((Sgd) resumed).setMomentumBuffer(c, sgd.momentumBuffer(b));
            for (int t = 2; t < 4; t++) {
                a.grad = f.get("g" + t + "_0").data.clone();
                c.grad = a.grad.clone();
                straight.step();
                resumed.step();
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.data, c.data, config);
            f.assertClose(config + "_3_0", c, 1e-6, 0);
        }
    }

    @Test
    void clipGradNormScalesOnlyAboveTheLimit() {
        Tensor a = Tensor.zeros(2).requiresGrad(true), b = Tensor.zeros(1).requiresGrad(true);
        a.grad = new float[]{3, 0};
        b.grad = new float[]{4};
        assertEquals(5.0, Optimizer.clipGradNorm(List.of(a, b), 10), 1e-12);
        assertEquals(3f, a.grad[0]);
        assertEquals(5.0, Optimizer.clipGradNorm(List.of(a, b), 1), 1e-12);
        assertEquals(3 / (5 + 1e-6), a.grad[0], 1e-7);
        assertEquals(4 / (5 + 1e-6), b.grad[0], 1e-7);
    }
}
