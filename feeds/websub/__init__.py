"""WebSub (W3C, formerly PubSubHubbub): feeds that name a hub push their new items to Dozor.

- `links`: the hub and topic a feed names (HTTP Link header, or <link rel="hub"> in the feed).
- `signature`: checking a delivery's X-Hub-Signature against the subscription's secret.
- `subscriber`: subscribing, renewing leases and unsubscribing, by requests to the hubs.
- `receiver` and `callback`: the HTTP endpoint hubs call to verify requests and deliver content.
"""
