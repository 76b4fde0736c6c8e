// Teleconsults: the clinician's requests and the specialist's offers; one consult opens its chat.
export async function mount(root, ctx) {
  const module = ctx.params[0] ? await import("./consult_room.js") : await import("./consult_list.js");
  return module.mount(root, ctx);
}
