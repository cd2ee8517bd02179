"""Live training over one websocket per page: a fair scheduler trains, the browser draws.

Why: a Streamlit rerun per frame costs ~50 ms of server time, and every viewer shares one Python
process, so 30 viewers got ~1 frame/s (issue 10). Here no rerun is in the frame path: a
process-wide scheduler thread trains every playing session in turn and sends compact numbers;
the browser owns the figures (drawn once by the page with the pure builders in
``playground/plots``) and patches them in place.

Pieces (server): ``scheduler`` (registry, entries, outboxes, scheduler; pure), ``wire``
(message encoding; pure), ``route`` (the Starlette websocket, mounted by ``app.py`` through
``st.App``), ``component`` (the page side: token, fallback, the browser client ``client.js``).
Each page's ``LiveView`` (what it streams) lives with the page's views.

Protocol (version 1)
--------------------
Getting a token. The page's script registers its live state and draws the components-v2
element ``neural_playground.live_stream``; its JSON data (``BidiComponent.json`` inside
``ForwardMsg.delta.new_element.bidi_component`` in Streamlit's own protocol) holds::

    {"token": "<32 url-safe chars>", "path": "/_np/live", "page": "pg", "version": 3, ...}

The token is unguessable and belongs to one (browser session, page). The element is only drawn
when the route is served (``streamlit run app.py`` → ``st.App``); without it (AppTest, a failed
socket) the page uses the rerun loop (``live.live_area``'s fragment) instead.

Connecting. ``ws[s]://HOST/_np/live?token=TOKEN`` (the page's directory + ``_np/live`` behind a
path prefix). Unknown/expired token: the server accepts then closes with code 4404 (reload the
page). On connect the server sends a ``state`` message at once.

Browser → server: JSON text messages::

    {"type": "play"} | {"type": "pause"} | {"type": "reset"}
    {"type": "step"}                       # one Step of the page's chosen size (1 update, 1 epoch, 10 epochs)
    {"type": "step", "updates": 25}        # or exactly n updates (capped at 100,000)
    {"type": "ack", "seq": 17}             # message 17 arrived: at most 2 unacknowledged messages are
                                           # in flight, so a client that stops acking gets no more frames
    {"type": "refresh"}                    # a chart could not apply an op: send every chart in full

The element's own Play/Pause, Step and Reset buttons send these (Step with the page's step size
as ``updates``); a click reruns nothing. The page draws the element twice, ``"part":
"controls"`` in the transport row and ``"part": "header"`` above the charts; both use one socket.

Server → browser: binary messages, ``uint32 LE n | n bytes JSON header | arrays`` (``wire``).
Arrays in the header are references ``{"blob": offset, "length": bytes, "dtype": "u1"|"f4"|"i4",
"shape": [...]}``; quantized ones add ``"lo", "hi"`` (value = lo + (hi − lo)·u/255). Header::

    {"type": "frame" | "state", "seq": 18, "version": 3, "page": "pg",
     "playing": true, "step": 1520, "epoch": 1520, "status": "ready" | "diverged", "message": "",
     "reason": "hello" | "pause" | "step" | "reset" | "refresh" | "diverged",  # state messages only
     "header": {"title": "Epoch 1,520 · update 1,520", "metrics": [["train cost", "0.21"], ...]},
     "surface": "pg.boundary",                                 # chart that plays the frames
     "frames": [{"step": 1490, "z": <u1 100×100, lo, hi>}, ...],  # boundary snapshots, oldest first
     "charts": {"pg.cost": [op, ...], "pg.gradients": [...], "pg.network": [...]}}

Chart ops (applied in order to the chart drawn by the page with that key)::

    {"op": "extend", "traces": [0, 1], "x": [arr, arr], "y": [arr, arr]}    # Plotly.extendTraces
    {"op": "restyle", "traces": [0], "update": {"y": [arr], "text": [[...]]}}  # Plotly.restyle
    {"op": "relayout", "update": {"yaxis.range": [-3, 1]}}                   # Plotly.relayout
    {"op": "react", "data": [trace, ...], "layout": {...}}  # new data (and layout, if given) (Plotly.react)
    {"op": "figure", "figure": "<plotly json>"}    # a whole figure (slow views of the other pages)

A ``state`` message (after hello/pause/step/reset/refresh/diverged) carries the current step,
counter, metrics and boundary at once, and ``"notice"`` when a Step was refused (too long for one
click); its ``charts`` are empty, so it is quick to build. Except after hello (the page has just
drawn them), a second state with ``"reason": "charts"`` follows on the scheduler's next round:
every chart in full after reset/refresh, only the new numbers after pause/step. After pause
nothing else follows until play: "Pause effective" = the pause state message. Frames come at
most 12 times a second (every 0.3 s with many viewers) each with the boundary snapshots since the last (up
to 30/s; at least 12/s however many play); a slow client gets fewer, newer messages
(coalesced), never a backlog.

Limits: 48 live pages per server process (more: the page says so and uses the rerun loop);
one viewer trains on at most 0.6 core, all together on 0.95 core shared evenly (0.25 while a
live page reruns, so clicks are answered first); entries expire
30 s after their Streamlit session ends or after 10 min untouched without a socket.
"""
