package vireo.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** Progress bars for long commands, always on stderr so stdout stays clean for results and --json. */
final class Progress {
    private Progress() {}

    static ProgressBarBuilder builder(String task, long max) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setConsumer(new ConsoleProgressBarConsumer(System.err));
    }

    static ProgressBar bar(String task, long max) { return builder(task, max).build(); }
}
