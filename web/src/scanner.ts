// QR scanning with the camera, where the browser has `BarcodeDetector` (the checkpoint and the
// venue scan pages): a toggle button, the live video in a frame, and the first code found is
// handed to the page. Without a detector or a camera nothing is shown and pages offer a text
// box to paste the code into instead.

import { h } from './dom';
import { t } from './i18n';

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorCtor = new (opts?: { formats?: string[] }) => BarcodeDetectorLike;

function barcodeDetector(): BarcodeDetectorCtor | null {
  const ctor = (window as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  return typeof ctor === 'function' && !!navigator.mediaDevices?.getUserMedia ? ctor : null;
}

export interface QrScannerOptions {
  /** Id of the toggle button (focus returns to it when scanning stops). */
  id: string;
  testid: string;
  /** Called with the text of the first QR code seen; scanning has stopped by then. */
  onFound: (text: string) => void;
  /** Asks the page to render again. */
  rerender: () => void;
}

export class QrScanner {
  private scanning = false;
  private problem: string | null = null;
  private stream: MediaStream | null = null;
  private timer: number | undefined;
  // Kept across renders so the running stream is not cut by a re-render.
  private readonly video: HTMLVideoElement;

  constructor(private readonly o: QrScannerOptions) {
    this.video = h('video', { class: 'scan-video', playsinline: true, muted: true, 'aria-hidden': 'true' });
  }

  /** True when this browser can scan (BarcodeDetector and a camera API). */
  static available(): boolean {
    return barcodeDetector() !== null;
  }

  /** The button, the video while scanning and any camera problem; null when scanning is impossible. */
  render(): HTMLElement | null {
    if (!QrScanner.available()) return null;
    return h(
      'div',
      { class: 'scan' },
      h(
        'button',
        {
          type: 'button',
          id: this.o.id,
          class: ['button', this.scanning ? 'ghost' : 'secondary'],
          'data-testid': this.o.testid,
          'aria-pressed': String(this.scanning),
          onclick: () => (this.scanning ? this.stop(true) : void this.start()),
        },
        this.scanning ? t('scan_stop') : t('scan_start'),
      ),
      this.scanning && h('div', { class: 'scan-frame' }, this.video, h('p', { class: 'hint', role: 'status' }, t('scan_hint'))),
      this.problem && h('p', { class: 'field-error', role: 'alert' }, this.problem),
    );
  }

  async start(): Promise<void> {
    const Detector = barcodeDetector();
    if (!Detector) return;
    this.problem = null;
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch {
      this.problem = t('scan_no_camera');
      this.o.rerender();
      return;
    }
    const detector = new Detector({ formats: ['qr_code'] });
    this.scanning = true;
    this.video.srcObject = this.stream;
    this.o.rerender();
    await this.video.play().catch(() => undefined);
    const tick = async () => {
      if (!this.scanning) return;
      try {
        const codes = await detector.detect(this.video);
        const found = codes.find((c) => c.rawValue)?.rawValue;
        if (found) {
          this.stop();
          this.o.onFound(found);
          return;
        }
      } catch {
        // The frame was not ready; try again.
      }
      this.timer = window.setTimeout(() => void tick(), 250);
    };
    void tick();
  }

  /** Stops the camera; with `rerender`, redraws and puts focus back on the button. */
  stop(rerender = false): void {
    this.scanning = false;
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    this.timer = undefined;
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.video.srcObject = null;
    if (rerender) {
      this.o.rerender();
      document.getElementById(this.o.id)?.focus();
    }
  }
}
