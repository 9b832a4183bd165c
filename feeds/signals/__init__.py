"""What the archive says over time, as plain data: narrative shares per source label and their shifts, volume spikes.

- `narratives`: each narrative's share of a topic's items per day and label, the leading narrative,
  and shifts (a label's leader changes and holds for a day).
- `spikes`: an hour far above the usual level for that hour (median and MAD over previous weeks, with a floor).
"""
