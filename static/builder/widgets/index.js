// The field widgets of this folder, registered by field kind with the settings forms
// (settings.js draws every form from the tile types' schema and asks the registry).
import * as settings from "../settings.js";

export const widgets = new Map();

export function provide(kind, render) {
  widgets.set(kind, render);
  if (typeof settings.registerWidget === "function") settings.registerWidget(kind, render);
}
