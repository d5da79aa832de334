'use strict';
// The phone app's core (app/src, compiled to build/app-js by `make
// system-results` with app/tsconfig.build.json) driven by the system tests:
// one JSON request on stdin, one JSON answer on stdout. Every decision is the
// app's own code; this file only passes values in and out.
const path = require('path');

const app = require(path.resolve(process.env.APP_JS_DIR || path.join(__dirname, '..', 'build', 'app-js')));

const steps = {
  // What the user typed on the bolus screen, parsed as the app parses it.
  entries({ carbs, glucose, unit }) {
    return { carbs: app.parseCarbs(carbs), glucose: app.parseGlucose(glucose, unit) };
  },

  // The cloud's answer: reviewed, shown, confirmed (with the dose on screen,
  // possibly edited by the user) and encoded as the BLE frame for the pump.
  deliver({ body, maxBolusU, shownAtMs, confirmAtMs, displayedU, lastSeq }) {
    const advice = app.acceptAdvice(body, maxBolusU);
    if (!advice.ok) return { stage: 'advice', error: advice.error };
    const pending = app.presentAdvice(advice.value, shownAtMs);
    if (pending === null) return { stage: 'nothing-to-confirm', advice: advice.value };
    const dose = displayedU === null ? pending.advisedU : displayedU;
    const confirmed = app.confirmBolus(pending, dose, confirmAtMs, maxBolusU);
    if (!confirmed.ok) return { stage: 'confirm', error: confirmed.error };
    const seq = new app.SequenceCounter(lastSeq).next();
    const frame = Array.from(app.encodeBolus(seq, confirmed.value.doseCu));
    return { stage: 'sent', advice: advice.value, doseCu: confirmed.value.doseCu, seq, frame };
  },

  // The pump's status frame, as the confirmation screen reports it.
  report({ seq, doseCu, frame }) {
    return app.reportDelivery({ seq, doseCu }, Uint8Array.from(frame));
  },

  // A frame encoded directly, as a faulty or hostile central could send it.
  encode({ seq, doseCu }) {
    try {
      return { frame: Array.from(app.encodeBolus(seq, doseCu)) };
    } catch (error) {
      return { error: error.message };
    }
  },
};

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const request = JSON.parse(input);
  process.stdout.write(JSON.stringify(steps[request.step](request.args)));
});
