"""Working days on the official calendar (statutory holidays and make-up working days), for every domain.

行政处罚法 第八十五条 counts its 二日/三日/五日/七日 in working days, and the market-supervision rules count the
15 days to open a case the same way. The official calendar comes from `chinese-calendar`; years it does not know
yet come from an override file, and a date in a year neither knows is refused (or, if configured, counted Monday
to Friday).
"""
