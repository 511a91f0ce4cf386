/**
 * A test host page, as real MCP Apps hosts build theirs (ext-apps' examples/basic-host): the view in
 * an iframe, and ext-apps' AppBridge speaking the host side of the protocol. Tool calls from the view
 * go to `window.hostCallTool`, which the test wires (Playwright) to an MCP client connected to the
 * built server. Bundled for the browser by test/helpers/apps-host.ts.
 */

import type { CallToolRequest, CallToolResult } from "@modelcontextprotocol/client";
import { AppBridge, type McpUiStyles, PostMessageTransport } from "@modelcontextprotocol/ext-apps/app-bridge";

export interface ViewSetup {
  viewUrl: string;
  theme: "light" | "dark";
  toolInput: Record<string, unknown>;
  toolResult: CallToolResult;
  width: number;
}

declare global {
  interface Window {
    hostCallTool(params: CallToolRequest["params"]): Promise<CallToolResult>;
    startView(setup: ViewSetup): Promise<void>;
  }
}

/** A host's theme, as hosts pass it (the spec's variable names). */
const THEMES: Record<ViewSetup["theme"], Partial<McpUiStyles>> = {
  light: { "--color-background-primary": "#ffffff", "--color-text-primary": "#1f1f24", "--font-sans": "system-ui, sans-serif" },
  dark: { "--color-background-primary": "#1e1e22", "--color-text-primary": "#ececf1", "--font-sans": "system-ui, sans-serif" },
};

window.startView = async (setup) => {
  document.body.style.background = setup.theme === "dark" ? "#111114" : "#f3f3f5";
  const frame = document.createElement("iframe");
  frame.title = "MCP App view";
  frame.setAttribute("sandbox", "allow-scripts allow-same-origin");
  frame.style.cssText = `width:${setup.width}px;height:200px;border:0;display:block`;
  document.body.appendChild(frame);
  const view = frame.contentWindow as Window;
  const bridge = new AppBridge(
    null,
    { name: "helpcrunch-test-host", version: "1.0.0" },
    { serverTools: {}, logging: {} },
    {
      hostContext: {
        theme: setup.theme,
        styles: { variables: THEMES[setup.theme] as McpUiStyles },
        displayMode: "inline",
        platform: "web",
      },
    },
  );
  bridge.oncalltool = (params) => window.hostCallTool(params);
  bridge.onsizechange = ({ height }) => {
    if (height !== undefined) frame.style.height = `${height}px`;
  };
  const initialized = new Promise<void>((resolve) => {
    bridge.oninitialized = () => {
      void bridge
        .sendToolInput({ arguments: setup.toolInput })
        .then(() => bridge.sendToolResult(setup.toolResult))
        .then(resolve);
    };
  });
  await bridge.connect(new PostMessageTransport(view, view));
  frame.src = setup.viewUrl;
  await initialized;
};
