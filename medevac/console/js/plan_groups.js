// A recommendation per patient group: which aircraft takes whom to where, and who has none.
// The plan assigns each patient separately; a request may need several aircraft.

export function planGroups(request, rec) {
  const waiting = new Map(request.casualties.filter((c) => c.status === "waiting").map((c) => [c.id, c]));
  const ride = rideAlong(rec, waiting);  // aboard an aircraft already on its way: not a sortie of their own
  for (const casualty of ride?.casualties || []) waiting.delete(casualty.id);
  const groups = new Map();
  const unassigned = [];
  for (const outcome of rec?.patients || []) {
    const casualty = waiting.get(outcome.patient_id);
    if (!casualty) continue; // tasked since the plan was made
    if (!outcome.asset_id) { unassigned.push(casualty); continue; }
    const key = `${outcome.asset_id}|${outcome.facility_id}|${outcome.at_facility}`; // one trip
    if (!groups.has(key)) {
      groups.set(key, { asset_id: outcome.asset_id, facility_id: outcome.facility_id,
                        at_facility: outcome.at_facility, margin_min: outcome.margin_min, casualties: [] });
    }
    const group = groups.get(key);
    group.casualties.push(casualty);
    if (outcome.margin_min !== null && outcome.margin_min !== undefined) {
      group.margin_min = Math.min(group.margin_min ?? Infinity, outcome.margin_min); // the worst aboard
    }
  }
  // Patients the plan does not mention (a plan older than the request) have no aircraft either.
  const planned = new Set((rec?.patients || []).map((p) => p.patient_id));
  for (const [id, casualty] of waiting) if (!planned.has(id)) unassigned.push(casualty);
  const list = [...groups.values()].sort((a, b) => (b.asset_id === rec?.asset_id) - (a.asset_id === rec?.asset_id)
    || String(a.at_facility).localeCompare(String(b.at_facility)));
  // An aircraft's later trips wait for it to come back: only its first trip can be approved now.
  const seen = new Set();
  for (const group of list) { group.later = seen.has(group.asset_id); seen.add(group.asset_id); }
  return { groups: list, unassigned, ride };
}

// The plan's ride along, with the casualties of it still waiting (none left: no ride along).
function rideAlong(rec, waiting) {
  const ride = rec?.ride_along;
  const casualties = (ride?.patient_ids || []).map((id) => waiting.get(id)).filter(Boolean);
  return casualties.length ? { ...ride, casualties } : null;
}

// "2×A litter, 1×C ambulatory": who is in a group, by precedence and type.
export function whoText(casualties) {
  const counts = new Map();
  for (const c of casualties) {
    const key = `${c.precedence} ${c.patient_type}`;
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  return [...counts].sort().map(([key, n]) => `${n}×${key}`).join(", ");
}

// What the officer saw, as one comparable string, and in words.
export function signature(groups, ride) {
  const aboard = ride ? `;ride:${ride.asset_id}:${ride.casualties.map((c) => c.id).sort().join(",")}` : "";
  return groups.map((g) => `${g.asset_id}>${g.facility_id}:${g.casualties.map((c) => c.id).sort().join(",")}`)
    .join(";") + aboard;
}

export function describe(plan, ctx) {
  const trips = plan.groups.map((g) => `${ctx.callsign(g.asset_id)} → ${ctx.facilityName(g.facility_id)} ` +
    `(${g.casualties.length} patient${g.casualties.length === 1 ? "" : "s"})`);
  const all = plan.ride ? [...trips, plan.ride.summary] : trips;
  return all.length ? all.join(", ") : "no aircraft";
}
