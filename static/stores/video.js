// Click-to-load video tiles (templates/stores/tiles/video.html). The page sends a facade
// and nothing is requested from YouTube or Vimeo until the shopper presses play. Without
// this script the facade stays a link to the video on the provider's site; with it, the
// link becomes a real button that swaps in the privacy-mode player the server chose
// (data-video-embed, from stores.tiles.video.embed_url), already playing.
(() => {
  function play(box, button) {
    const frame = document.createElement("iframe");
    frame.src = box.dataset.videoEmbed;
    frame.title = box.dataset.videoTitle || "Video";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    box.classList.add("is-playing");
    button.replaceWith(frame);
    // Keyboard and screen-reader users land in the player they asked for.
    frame.focus();
  }

  function enhance(box) {
    const link = box.querySelector(".video__facade");
    if (!link || link.tagName !== "A" || !box.dataset.videoEmbed) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.append(...link.childNodes);
    // A button plays here; only the link left the page.
    button.querySelectorAll("[data-video-new-tab]").forEach((el) => el.remove());
    button.addEventListener("click", () => play(box, button), { once: true });
    link.replaceWith(button);
  }

  document.querySelectorAll("[data-video-embed]").forEach(enhance);
})();
