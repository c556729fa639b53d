package vireo.lm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class HookPointsTest {
    static final List<String> PUB = List.of("blocks.0.resid_pre", "blocks.0.resid_post", "blocks.1.resid_pre", "blocks.1.resid_post");

    @Test void aliasAndGlobResolve() {
        assertEquals(List.of("blocks.1.resid_post"), HookPoints.resolve(PUB, "blocks.1.hook_resid_post"));
        assertEquals(List.of("blocks.0.resid_post", "blocks.1.resid_post"), HookPoints.resolve(PUB, "blocks.*.resid_post"));
        assertEquals(List.of("blocks.1.resid_pre", "blocks.1.resid_post"), HookPoints.resolve(PUB, "blocks.1.*"));
    }

    @Test void unknownNameListsValidPoints() {
        var e = assertThrows(IllegalArgumentException.class, () -> HookPoints.resolve(PUB, "blocks.2.resid_post"));
        assertEquals("no hook point 'blocks.2.resid_post'; valid: blocks.{0..1}.resid_pre|blocks.{0..1}.resid_post", e.getMessage());
    }
}
