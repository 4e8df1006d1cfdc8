// A video by pasting its address: the provider and the video's id are read from it at once
// and a preview frame shows the video (the server checks the address again when saving).
import { h } from "../dom.js";
import { gettext } from "../state.js";
import { say } from "./common.js";
import { provide } from "./index.js";

const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const VIMEO_ID = /^\d{6,12}$/;

export function readVideo(address) {
  let url;
  try { url = new URL(String(address || "").trim()); } catch (error) { return null; }
  if (url.protocol !== "https:") return null;
  const host = url.hostname.toLowerCase().replace(/^(www\.|m\.)/, "");
  const parts = url.pathname.split("/").filter(Boolean);
  if (["youtube.com", "youtu.be", "youtube-nocookie.com"].includes(host)) {
    let id = null;
    if (host === "youtu.be") id = parts[0];
    else if (parts[0] === "watch") id = url.searchParams.get("v");
    else if (["embed", "shorts", "live"].includes(parts[0])) id = parts[1];
    return id && YOUTUBE_ID.test(id) ? { provider: "youtube", name: "YouTube", id,
      embed: `https://www.youtube-nocookie.com/embed/${id}` } : null;
  }
  if (host === "vimeo.com" || host === "player.vimeo.com") {
    const rest = host === "player.vimeo.com" && parts[0] === "video" ? parts.slice(1) : parts;
    return rest[0] && VIMEO_ID.test(rest[0]) ? { provider: "vimeo", name: "Vimeo", id: rest[0],
      embed: `https://player.vimeo.com/video/${rest[0]}?dnt=1` } : null;
  }
  return null;
}

provide("video_url", ({ field, value, onChange, ctx }) => {
  const found = h("p", { class: "video-found", role: "status", id: `${ctx.id}-found` });
  const frameBox = h("div", { class: "video-preview" });
  let shown = null;
  const show = (address) => {
    const video = readVideo(address);
    found.classList.toggle("field-error", Boolean(address && !video));
    found.textContent = video ? say("%(provider)s video %(id)s", { provider: video.name, id: video.id })
      : address ? gettext("This is not the address of a YouTube or Vimeo video.") : "";
    if (!video) { frameBox.replaceChildren(); shown = null; return; }
    if (shown === video.embed) return;
    shown = video.embed;
    frameBox.replaceChildren(h("iframe", { src: video.embed, title: say("Preview: %(provider)s video", { provider: video.name }),
      loading: "lazy", allow: "encrypted-media; picture-in-picture", referrerpolicy: "strict-origin-when-cross-origin" }));
  };
  const input = h("input", { type: "url", id: ctx.id, value: value || "", maxlength: field.max_length,
    placeholder: "https://www.youtube.com/watch?v=…", "aria-describedby": `${ctx.id}-found`,
    oninput: (e) => { show(e.target.value); onChange(e.target.value.trim()); } });
  show(value);
  return h("div", { class: "widget video-widget" }, h("label", { for: ctx.id }, field.label), input, found, frameBox);
});
