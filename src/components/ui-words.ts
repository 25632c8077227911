/**
 * Server messages name API fields ("set ignoreWindows"); a person in the UI needs the control
 * that does it. Each entry rewrites one such phrase into the label of the UI's own control.
 */
const API_TO_UI: [RegExp, string][] = [
  [/;?\s*set ignoreWindows(?: to true)? to upgrade anyway/g, ": tick “Ignore maintenance windows” (under “Values, strategy and options”) in a new batch to upgrade it anyway"],
  [/ignoreWindows(?:=|: )true/g, "“Ignore maintenance windows”"],
  [/the upgrade needs acknowledgeBreakingChanges: true/g, "the upgrade needs “Acknowledge breaking changes” ticked"],
  [/set acknowledgeBreakingChanges: true to proceed/g, "tick “Acknowledge breaking changes” to proceed"],
  [/acknowledgeBreakingChanges(?:=|: )true/g, "“Acknowledge breaking changes”"],
];

export function inUiWords(message: string): string {
  return API_TO_UI.reduce((text, [api, ui]) => text.replace(api, ui), message);
}
