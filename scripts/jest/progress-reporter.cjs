// In CI (no terminal to redraw), Jest prints a suite only when it ends, so a Terraform suite is silent for
// minutes. This reporter adds a line when a suite starts and one per finished test, so the log shows where the
// run is; with a terminal, Jest's own display does that and this reporter stays quiet.
'use strict';

class ProgressReporter {
  constructor(globalConfig) {
    this.enabled = Boolean(globalConfig.ci) && !process.stderr.isTTY;
    this.started = Date.now();
  }

  elapsed() {
    return `${Math.round((Date.now() - this.started) / 1000)}s`;
  }

  onTestStart(test) {
    if (this.enabled) process.stderr.write(`[${this.elapsed()}] start ${test.path.replace(`${test.context.config.rootDir}/`, '')}\n`);
  }

  onTestCaseResult(test, result) {
    if (!this.enabled) return;
    const mark = result.status === 'passed' ? 'ok  ' : result.status === 'failed' ? 'FAIL' : result.status;
    process.stderr.write(`[${this.elapsed()}] ${mark} ${result.fullName} (${result.duration ?? 0} ms)\n`);
  }
}

module.exports = ProgressReporter;
