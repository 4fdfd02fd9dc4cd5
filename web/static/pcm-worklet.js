// Microphone audio to 16 kHz mono PCM16 in ~100 ms frames, resampled in the page (AudioWorklet thread).
// Each frame carries its level (RMS) and the level of each 10 ms in it: the barge-in detector measures how
// long a sound lasts, and whole frames cannot tell a 150 ms knock from 250 ms of speech (one straddling
// three frames lights all three).
const WINDOW = 160; // 10 ms at 16 kHz
class PcmWorklet extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ratio = sampleRate / 16000;
    this.position = 0;
    this.last = 0; // the previous block's last sample
    this.out = new Int16Array(1600);
    this.filled = 0;
    this.energy = 0;
    this.count = 0;
    this.windowEnergy = 0;
    this.levels = [];
  }
  process(inputs) {
    const input = inputs[0] && inputs[0][0];
    if (!input) return true;
    // Linear interpolation from the context's rate down to 16 kHz. A position in [-1, 0) falls between the
    // previous block's last sample and this block's first: reading input[-1] there gave NaN, which zeroed a
    // sample and made the level (and so the barge-in detector) NaN for good.
    while (this.position < input.length - 1) {
      const i = Math.floor(this.position);
      const frac = this.position - i;
      const before = i < 0 ? this.last : input[i];
      const sample = before * (1 - frac) + input[i + 1] * frac;
      const clipped = Math.max(-1, Math.min(1, sample));
      this.out[this.filled++] = clipped < 0 ? clipped * 0x8000 : clipped * 0x7fff;
      this.energy += sample * sample;
      this.windowEnergy += sample * sample;
      this.count++;
      if (this.filled % WINDOW === 0) {
        this.levels.push(Math.sqrt(this.windowEnergy / WINDOW));
        this.windowEnergy = 0;
      }
      if (this.filled === this.out.length) {
        const level = Math.sqrt(this.energy / this.count);
        this.port.postMessage({ pcm: this.out.buffer, level, levels: this.levels }, [this.out.buffer]);
        this.out = new Int16Array(1600);
        this.filled = 0;
        this.energy = 0;
        this.count = 0;
        this.levels = [];
      }
      this.position += this.ratio;
    }
    this.last = input[input.length - 1];
    this.position -= input.length;
    return true;
  }
}
registerProcessor("pcm-worklet", PcmWorklet);
