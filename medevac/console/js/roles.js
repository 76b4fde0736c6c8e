// Which screens each role may use (the API enforces the same roles; this only hides the rest).
export const SCREENS = {
  board: { title: "Dispatch board", roles: ["dispatcher", "admin", "observer", "field"] },
  nineline: { title: "New 9-line", roles: ["dispatcher", "admin", "field"] },
  map: { title: "Map", roles: ["dispatcher", "admin", "observer", "field"] },
  assets: { title: "Assets", roles: ["dispatcher", "admin", "observer"] },
  facilities: { title: "Facilities", roles: ["dispatcher", "admin", "observer", "clinician"] },
  inbound: { title: "Inbound", roles: ["dispatcher", "admin", "observer", "clinician"] },
  consults: { title: "Teleconsults", roles: ["clinician", "specialist"] },
  oncall: { title: "On call", roles: ["dispatcher", "admin", "specialist"] }, // specialists: their own windows
  planning: { title: "Planning", roles: ["admin", "observer"] }, // starting a plan also needs the planning right
};

export function screensFor(role) {
  return Object.keys(SCREENS).filter((name) => SCREENS[name].roles.includes(role));
}

// Who may act (not only look) on the boards.
export const DISPATCH_ACTORS = ["dispatcher", "admin"];
export const CREW = ["dispatcher", "admin", "field"];
