/** Widget CSS, injected into the shadow root so the host page's styles neither leak in nor out. */
export function widgetCss(color: string, side: 'left' | 'right'): string {
  return `
:host{all:initial;--c:${color};--c2:#fff;--bg:#f5f7fa;--fg:#1f2933;--muted:#5f6b7a;--line:#dde3ea;font:14px/1.6 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:var(--fg)}
*{box-sizing:border-box}
[hidden]{display:none!important}
button,input,textarea{font:inherit;color:inherit}
button{cursor:pointer}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher{position:fixed;${side}:20px;bottom:20px;z-index:2147483000;display:flex;align-items:center;gap:6px;padding:12px 18px;border:0;border-radius:28px;background:var(--c);color:var(--c2);box-shadow:0 6px 20px rgba(0,0,0,.25);font-size:15px;font-weight:600}
.launcher svg{width:20px;height:20px}
.panel{position:fixed;${side}:20px;bottom:84px;z-index:2147483001;width:390px;height:min(640px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;border-radius:12px;box-shadow:0 12px 40px rgba(0,0,0,.28);overflow:visible}
.panel>header{display:flex;align-items:center;gap:8px;padding:10px 12px;background:var(--c);color:var(--c2);border-radius:12px 12px 0 0}
.panel>header h2{flex:1;margin:0;font-size:16px;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.hbtn{border:1px solid rgba(255,255,255,.6);background:transparent;color:var(--c2);border-radius:6px;padding:2px 10px;font-size:13px}
.hbtn.x{font-size:20px;line-height:1;padding:2px 8px;border:0}
.log{flex:1;overflow-y:auto;padding:12px;background:var(--bg);display:flex;flex-direction:column;gap:10px}
.welcome h3,.sheet h3{margin:0 0 6px;font-size:15px}
.welcome p{margin:0 0 8px}
.topics{list-style:none;margin:0 0 8px;padding:0;display:flex;flex-direction:column;gap:4px}
.msg .topics,.msg .chips{padding:0;margin-left:0}
.topics button{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden;width:100%;text-align:left;border:0;background:#fff;border-radius:6px;padding:6px 10px;color:var(--c)}
.topics .tag{display:inline-block;margin-right:6px;padding:0 4px;border-radius:3px;background:#fde8e8;color:#b42318;font-size:12px}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin:4px 0 0;padding:0;list-style:none}
.chips button{border:1px solid var(--c);background:#fff;color:var(--c);border-radius:14px;padding:2px 10px;font-size:13px}
.msg{max-width:88%;padding:8px 12px;border-radius:10px;background:#fff;word-break:break-word;overflow-wrap:anywhere}
.msg p{margin:0 0 6px}.msg p:last-child{margin-bottom:0}
.msg ul,.msg ol{margin:4px 0;padding-left:20px}
.msg.user{align-self:flex-end;background:var(--c);color:var(--c2)}
.msg.bot,.msg.agent{align-self:flex-start}
.msg.agent{border-left:4px solid #0e9f6e}
.msg.ticket{border-left:4px solid var(--c)}
.ticket-no strong{font-size:16px;letter-spacing:.5px;color:var(--c)}
.offhours{color:#8a4b00}
.msg.system{align-self:center;max-width:95%;background:#fff8e1;color:#5c4400;font-size:13px}
.who{display:block;font-size:12px;color:var(--muted);margin-bottom:2px}
.cite{border:0;background:none;color:var(--c);padding:0 1px;font-size:12px;vertical-align:super;text-decoration:underline}
.msg .sources{margin:8px 0 0;padding:6px 0 0;border-top:1px dashed var(--line);list-style:none;font-size:13px}
.sources li{margin:2px 0}
.sources button{border:0;background:none;padding:0;text-align:left;color:var(--c);text-decoration:underline}
.kind{color:var(--muted);font-size:12px;margin-left:4px}
.fb{display:flex;flex-direction:column;gap:6px;margin-top:6px;font-size:12px;color:var(--muted)}
.fb-row{display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.fb-row.end{justify-content:flex-end}
.fb button{flex:none;white-space:nowrap;border:1px solid var(--line);background:#fff;border-radius:12px}
.fb button{padding:0 10px;font-size:12px;line-height:22px}
.fb button[aria-pressed=true]{background:var(--c);color:var(--c2);border-color:var(--c)}
.fb button.primary{background:var(--c);color:var(--c2);border-color:var(--c);padding:0 14px}
.fb-form{display:flex;flex-direction:column;gap:6px;padding:8px;border-radius:8px;background:var(--bg)}
.reasons{display:flex;flex-wrap:wrap;gap:6px}
.fb-text{display:block}
.fb-text textarea{display:block;width:100%;resize:vertical;padding:6px 8px;font-size:13px}
.fb-text textarea{border:1px solid var(--line);border-radius:6px}
.fb-note:empty{display:none}
.offer{margin:6px 0 0;font-size:13px;color:#8a4b00}
.msg a{color:var(--c)}
.typing{padding:4px 14px;color:var(--muted);font-size:13px;background:var(--bg)}
.typing i{display:inline-block;width:6px;height:6px;margin-left:3px;border-radius:50%;background:var(--muted);animation:b 1s infinite}
.typing i:nth-child(2){animation-delay:.15s}.typing i:nth-child(3){animation-delay:.3s}
@keyframes b{0%,80%,100%{opacity:.2}40%{opacity:1}}
@media (prefers-reduced-motion:reduce){.typing i{animation:none}}
.tools{display:flex;gap:8px;padding:6px 10px 0;border-top:1px solid var(--line)}
.tools button{border:1px solid var(--line);background:#fff;border-radius:14px;padding:2px 12px;font-size:13px}
.tools .ho{border-color:var(--c);color:var(--c)}
.tools .ho.suggested{background:var(--c);color:var(--c2);font-weight:600}
form.composer{display:flex;gap:8px;padding:8px 10px 10px}
form.composer textarea{flex:1;resize:none;min-height:40px;max-height:120px;padding:8px;border:1px solid var(--line);border-radius:8px}
form.composer button{border:0;border-radius:8px;background:var(--c);color:var(--c2);padding:0 16px;font-weight:600}
form.composer button:disabled{opacity:.5;cursor:default}
.sheet{position:absolute;left:0;right:0;bottom:0;max-height:85%;overflow-y:auto;z-index:3;background:#fff;padding:14px;border-top:1px solid var(--line);border-radius:12px 12px 12px 12px;box-shadow:0 -6px 20px rgba(0,0,0,.15)}
.sheet label{display:block;margin:8px 0}
.sheet input[type=tel],.sheet input[type=text],.sheet textarea{display:block;width:100%;margin-top:4px;padding:6px 8px;border:1px solid var(--line);border-radius:6px}
.sheet .check{display:flex;gap:6px;align-items:flex-start;font-size:13px}
.sheet fieldset{border:0;margin:0;padding:0}
.sheet legend{font-weight:600;margin-bottom:4px}
.sheet .opt{display:inline-flex;gap:4px;align-items:center;margin:4px 10px 4px 0}
.row{display:flex;justify-content:flex-end;gap:8px;margin-top:10px}
.row button{border:1px solid var(--line);background:#fff;border-radius:6px;padding:4px 14px}
.row button.primary{background:var(--c);border-color:var(--c);color:var(--c2)}
.err{color:#b42318;font-size:13px;margin:4px 0}
.source{position:absolute;top:0;bottom:0;${side === 'right' ? 'left:auto;right' : 'right:auto;left'}:calc(100% + 12px);width:440px;max-height:none;border-radius:12px;box-shadow:0 12px 40px rgba(0,0,0,.28);display:flex;flex-direction:column;padding:0}
.source header{display:flex;gap:8px;align-items:center;padding:10px 12px;border-bottom:1px solid var(--line)}
.source header h3{flex:1;margin:0;font-size:15px}
.source .back{border:1px solid var(--line);background:#fff;border-radius:6px;padding:2px 10px}
.source .content{overflow-y:auto;padding:12px}
.meta{margin:0 0 10px;display:grid;grid-template-columns:auto 1fr;gap:2px 10px;font-size:13px}
.meta dt{color:var(--muted)}.meta dd{margin:0}
.status-in{color:#05603a;font-weight:600}.status-out{color:#b42318;font-weight:600}
.body p{margin:0 0 8px}
.source a{color:var(--c)}
mark{background:#fff1a8;color:inherit}
.snip{color:var(--muted);font-size:12px;display:block}
.sources .snip{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
@media (max-width:900px){.source{left:0;right:0;width:auto;top:0;border-radius:12px}}
@media (max-width:520px){
 .panel{left:0;right:0;top:0;bottom:0;width:auto;height:auto;border-radius:0}
 .panel>header{border-radius:0}
 .launcher{${side}:14px;bottom:14px}
 .msg{max-width:94%}
 .source{border-radius:0}
}
`
}
