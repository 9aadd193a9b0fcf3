"""The page's own look: chat bubbles and list rows. Injected once per run."""

import streamlit as st

_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 4.5rem; padding-bottom: 1rem; }
/* Below the menu along the top. The columns fill the window's height (the numbers are what
   stands above and below each),
   so the reply box and Send stay in view on a laptop and nothing scrolls for no reason.
   Streamlit sizes a fixed-height container by its wrapper's flex-basis and min-height. */
div:has(> .st-key-chat-list) { flex: 0 0 max(240px, calc(100vh - 350px)) !important; }
div:has(> .st-key-conversation), div:has(> .st-key-conversation-found) {
  flex: 0 0 max(240px, calc(100vh - 434px)) !important; }
div:has(> .st-key-customer-card) { flex: 0 0 max(320px, calc(100vh - 104px)) !important; }
/* Files to send with the reply take one more line above Send: the conversation makes room. */
[data-testid="stColumn"]:has([class*="st-key-attached-"]) div:has(> .st-key-conversation),
[data-testid="stColumn"]:has([class*="st-key-attached-"]) div:has(> .st-key-conversation-found) {
  flex-basis: max(240px, calc(100vh - 486px)) !important; }
div:has(> .st-key-chat-list), div:has(> .st-key-conversation),
div:has(> .st-key-conversation-found),
div:has(> .st-key-customer-card) { min-height: 0 !important; }
/* A chat row's last line stays one line; its help shows the channel and the rest. */
div[class*="st-key-chat-row-"] button [data-testid="stMarkdownContainer"] p:nth-of-type(3) {
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 100%; }
/* The four state tabs with their counts fit the list's column at 1280 px. */
.st-key-chat_tab button { padding-left: 0.45rem; padding-right: 0.45rem; }
.st-key-chat_tab button p { font-size: 0.85rem; white-space: nowrap; }
.bubble-row { display: flex; margin: 2px 0; }
/* The message a search found, opened from the list. */
.found-message .bubble { outline: 2px solid #f59e0b; outline-offset: 1px; }
.found-message .system-line span { border-color: #f59e0b; }
.bubble-row.customer { justify-content: flex-start; }
.bubble-row.manager { justify-content: flex-end; }
.bubble { max-width: 85%; padding: 8px 12px; border-radius: 14px; line-height: 1.4;
          white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.95rem; }
.bubble.customer { background: #f1f3f5; border-bottom-left-radius: 4px; }
.bubble.manager { background: #e7f0ff; border-bottom-right-radius: 4px; }
.bubble .meta { font-size: 0.75rem; color: #6b7280; margin-top: 4px; white-space: normal; }
.bubble .meta .automatic { font-style: italic; }
.bubble .quote { border-left: 3px solid #9ca3af; padding: 2px 8px; margin-bottom: 6px;
                 color: #4b5563; font-size: 0.85rem; background: rgba(255,255,255,.5); }
.bubble .failed { color: #b91c1c; font-weight: 600; }
.bubble .attachment { display: block; margin: 2px 0 4px; }
.bubble img.attachment.photo { max-width: min(320px, 100%); max-height: 320px;
                               border-radius: 10px; }
.bubble img.attachment.sticker { width: 128px; height: 128px; object-fit: contain; }
.bubble audio.attachment { width: 260px; max-width: 100%; }
.lead-photo { width: 44px; height: 44px; border-radius: 50%; object-fit: cover; }
.system-line { text-align: center; color: #6b7280; font-size: 0.8rem; font-style: italic;
               margin: 6px 0; }
.system-line span { background: #fafafa; border: 1px dashed #d1d5db; border-radius: 10px;
                    padding: 2px 10px; display: inline-block; }
.card-line { color: #4b5563; font-size: 0.9rem; margin: 0; white-space: pre-wrap;
             overflow-wrap: anywhere; }
.note { border-left: 3px solid #fcd34d; padding: 2px 8px; margin: 6px 0; white-space: pre-wrap;
        overflow-wrap: anywhere; font-size: 0.9rem; }
.note .meta { color: #6b7280; font-size: 0.75rem; }
[class*="st-key-chat-row-"] button { justify-content: flex-start; text-align: left;
                                     padding: 6px 10px; }
[class*="st-key-chat-row-"] button > div { justify-content: flex-start; }
[class*="st-key-chat-row-"] button p { text-align: left; margin: 0; }
[class*="st-key-chat-row-"] button p img { height: 24px; width: 24px; max-height: none;
                                           border-radius: 50%; object-fit: cover;
                                           vertical-align: middle; }
[class*="st-key-chat-row-"] button[kind="primary"] .stMarkdownColoredBackground { color: #374151; }
/* The open chat's last line, gray on the other rows, stays readable on its red. */
[class*="st-key-chat-row-"] button[kind="primary"] .stMarkdownColoredText {
  color: #fde8e8 !important; }
/* The live check's hidden component, and the wrapper around it, take no room and no gap. */
.st-key-live-poll, div:has(> .st-key-live-poll),
.st-key-quick-slash, div:has(> .st-key-quick-slash) {
  position: fixed !important; width: 0; height: 0; overflow: hidden; }
/* Quick replies offered by "/" in the reply box, above it; and the variables left to fill. */
.quick-slash-menu { position: fixed; z-index: 1000; max-height: 260px; overflow-y: auto;
  background: #fff; border: 1px solid #d1d5db; border-radius: 8px;
  box-shadow: 0 4px 16px rgba(0,0,0,.12); font-size: 0.9rem; }
.quick-slash-item { padding: 6px 10px; cursor: pointer; }
.quick-slash-item.active, .quick-slash-item:hover { background: #eef2ff; }
.quick-slash-title { font-weight: 600; }
.quick-slash-text, .quick-slash-none { color: #4b5563; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.quick-slash-none { padding: 6px 10px; }
.quick-slash-menu mark, .unfilled mark { background: #fde68a; padding: 0 2px; }
.unfilled { color: #92400e; font-size: 0.85rem; }
[class*="st-key-menu-"] button { padding: 0 6px; min-height: 0; }
[class*="st-key-link-"] button { padding: 2px 12px; min-height: 0; }
.st-key-notify-menu button { padding-left: 0; padding-right: 0; }
[class*="st-key-menu-"] button { min-width: 36px; font-weight: 700; }
/* The popovers' chevron, and the room kept for it, which squeezed "···" into an ellipsis. */
[class*="st-key-menu-"] button div[aria-hidden="true"],
.st-key-notify-menu button div[aria-hidden="true"],
[class*="st-key-link-"] button div[aria-hidden="true"] { display: none; }
</style>
"""


def inject() -> None:
    st.html(_CSS)
