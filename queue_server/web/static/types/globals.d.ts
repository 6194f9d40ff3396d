// What the page scripts find on `window` besides the DOM: the classic scripts they sit beside
// (the vendored ECharts on /manage, Swagger UI on /docs), and the hooks the board leaves for
// a technician's console and the page tests.

/** The few calls of Apache ECharts that /manage makes (vendor/echarts/echarts.min.js). */
interface EChartsInstance {
  setOption(option: object, notMerge?: boolean): void;
  resize(): void;
}

interface EChartsStatic {
  init(el: HTMLElement, theme: string | null, opts: { renderer: "svg" | "canvas" }): EChartsInstance;
  getInstanceByDom(el: Element): EChartsInstance | undefined;
}

declare var echarts: EChartsStatic | undefined;

declare var SwaggerUIBundle: {
  (options: object): unknown;
  presets: { apis: unknown };
  SwaggerUIStandalonePreset: unknown;
};

interface Window {
  /** Older Safari's name for AudioContext. */
  webkitAudioContext?: typeof AudioContext;
  /** The running Swagger UI on /docs. */
  ui?: unknown;
  /** The board's calls as announced, for the page tests. */
  __announcements?: unknown[];
  /** The board's state and its last sockets, for a technician's console and the page tests. */
  __board?: { sockets: unknown[]; readonly state: unknown };
  /** The window screen's state, likewise. */
  __window?: { readonly state: unknown };
}
