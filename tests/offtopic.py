"""Papers on subjects far from any machine-learning corpus: what a topic's outliers look like."""

from site_src.models import RawPaper, Source

OFF_TOPIC = [
    ("Meltwater Drainage Beneath the Greenland Ice Sheet",
     "Glaciers in western Greenland speed up each summer when surface meltwater reaches the bed through moulins. "
     "We combine borehole pressure records from twelve sites with seismic surveys to show that subglacial channels "
     "widen within weeks, lowering basal water pressure and slowing ice flow by late autumn."),
    ("Hanseatic Grain Prices in Fifteenth-Century Lübeck",
     "Merchant ledgers from Lübeck record rye and barley prices across the Baltic between 1420 and 1490. We "
     "reconstruct monthly price series, identify famine years from parish records, and argue that convoy losses to "
     "privateers rather than harvest failure drove the sharpest price spikes."),
    ("Nesting Beaches of Loggerhead Turtles on the Dalaman Coast",
     "Female loggerheads return to the beaches where they hatched. Tagging two hundred nesting females over six "
     "seasons, we find that sand temperature at clutch depth sets the sex ratio of hatchlings, and that lighting from "
     "new hotels disorients hatchlings crawling toward the sea."),
]


def off_topic(start: int = 0, stop: int | None = None) -> list[RawPaper]:
    return [RawPaper(title=t, abstract=a, source=Source("off-topic.txt", i + 1))
            for i, (t, a) in enumerate(OFF_TOPIC[start:stop], start)]
