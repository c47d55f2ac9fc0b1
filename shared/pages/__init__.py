"""What the services' browser pages share: packaged assets, the base layout, sign-in, signed links.

Pages are server-rendered HTML enhanced with htmx, served from the service itself: no CDN and
no build step. The browser keeps the operator's token in sessionStorage and sends it as a
bearer header on the page's own requests; the HTML shells themselves need no token.
"""
