"""Address vocabularies and RE2 patterns, as data (this module is a data table).

English: the street suffixes of USPS Publication 28, Appendix C1 (primary names and the standard
abbreviations), the secondary unit designators of Appendix C2, the USPS state and territory codes,
British thoroughfare words, and the Royal Mail postcode format. Russian: see ``address_data_ru``.
"""

from __future__ import annotations

from mlwarden.detectors.pii.address_data_ru import RU_ADDRESS_PATTERNS

__all__ = ["ADDRESS_PATTERNS", "STRONG_SUFFIXES", "UK_POSTCODE", "US_STATES"]


def _words(table: str) -> list[str]:
    return table.split()


# USPS Pub. 28 C1: primary suffix names and their standard abbreviations.
_USPS_SUFFIXES = """
Alley Aly Anex Anx Arcade Arc Avenue Ave Bayou Byu Beach Bch Bend Bnd Bluff Blf Bluffs Blfs Bottom Btm Boulevard Blvd
Branch Br Bridge Brg Brook Brk Brooks Brks Burg Bg Burgs Bgs Bypass Byp Camp Cp Canyon Cyn Cape Cpe Causeway Cswy
Center Ctr Centers Ctrs Circle Cir Circles Cirs Cliff Clf Cliffs Clfs Club Clb Common Cmn Commons Cmns Corner Cor
Corners Cors Course Crse Court Ct Courts Cts Cove Cv Coves Cvs Creek Crk Crescent Cres Crest Crst Crossing Xing
Crossroad Xrd Crossroads Xrds Curve Curv Dale Dl Dam Dm Divide Dv Drive Dr Drives Drs Estate Est Estates Ests
Expressway Expy Extension Ext Extensions Exts Fall Falls Fls Ferry Fry Field Fld Fields Flds Flat Flt Flats Flts
Ford Frd Fords Frds Forest Frst Forge Frg Forges Frgs Fork Frk Forks Frks Fort Ft Freeway Fwy Garden Gdn Gardens Gdns
Gateway Gtwy Glen Gln Glens Glns Green Grn Greens Grns Grove Grv Groves Grvs Harbor Hbr Harbors Hbrs Haven Hvn
Heights Hts Highway Hwy Hill Hl Hills Hls Hollow Holw Inlet Inlt Island Is Islands Iss Isle Junction Jct Junctions
Jcts Key Ky Keys Kys Knoll Knl Knolls Knls Lake Lk Lakes Lks Land Landing Lndg Lane Ln Light Lgt Lights Lgts Loaf Lf
Lock Lck Locks Lcks Lodge Ldg Loop Mall Manor Mnr Manors Mnrs Meadow Mdw Meadows Mdws Mews Mill Ml Mills Mls Mission
Msn Motorway Mtwy Mount Mt Mountain Mtn Mountains Mtns Neck Nck Orchard Orch Oval Overpass Opas Park Parks Parkway
Pkwy Parkways Pass Passage Psge Path Pike Pine Pne Pines Pnes Place Pl Plain Pln Plains Plns Plaza Plz Point Pt
Points Pts Port Prt Ports Prts Prairie Pr Radial Radl Ramp Ranch Rnch Rapid Rpd Rapids Rpds Rest Rst Ridge Rdg
Ridges Rdgs River Riv Road Rd Roads Rds Route Rte Row Rue Run Shoal Shl Shoals Shls Shore Shr Shores Shrs Skyway
Skwy Spring Spg Springs Spgs Spur Spurs Square Sq Squares Sqs Station Sta Stravenue Stra Stream Strm Street St
Streets Sts Summit Smt Terrace Ter Throughway Trwy Trace Trce Track Trak Trafficway Trfy Trail Trl Trailer Trlr
Tunnel Tunl Turnpike Tpke Underpass Upas Union Un Unions Uns Valley Vly Valleys Vlys Viaduct Via View Vw Views Vws
Village Vlg Villages Vlgs Ville Vl Vista Vis Walk Walks Wall Way Ways Well Wl Wells Wls
"""
# British thoroughfare words not in the USPS list.
_UK_SUFFIXES = """
Close Rise Parade Wharf Yard Quay Approach Chase Croft Drove Gate Vale Wynd Embankment Broadway Circus Esplanade
Promenade Cottages Buildings Mansions Hey Grange
"""
# Suffixes that are rarely anything but a street: enough with a house number alone.
STRONG_SUFFIXES = frozenset(
    _words("""
street st avenue ave road rd boulevard blvd lane ln drive dr court ct place pl terrace ter parkway pkwy highway
hwy circle cir square sq close crescent cres gardens gdns mews alley aly trail trl turnpike tpke way expressway
expy freeway fwy plaza plz crossing xing estates ests manor mnr heights hts
""")
)
# USPS state, district, territory and military state codes.
US_STATES = frozenset(
    _words("""
AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR
PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI FM MH PW AA AE AP
""")
)

_SUFFIX = "(?i:" + "|".join(sorted(set(_words(_USPS_SUFFIXES + _UK_SUFFIXES)), key=lambda w: (-len(w), w))) + ")"
# USPS Pub. 28 C2 secondary unit designators (and the UK "Flat"/"Studio").
_UNIT = (
    r"(?:(?i:Apartment|Apt|Suite|Ste|Unit|Floor|Fl|Room|Rm|Building|Bldg|Department|Dept|Lot|Trailer|Trlr|Space|Spc"
    r"|Hangar|Hngr|Pier|Slip|Stop|Box|Flat|Studio)\.? ?#? ?[A-Za-z0-9\-]{1,6}|# ?[A-Za-z0-9\-]{1,6})"
)
_SEP = r"(?:,? ?\n ?|, ?| )"
_WORD = r"[A-Z][A-Za-z'\-]+"
_NUMBER = r"[0-9]{1,6}[A-Za-z]?(?:-[0-9]{1,6})?"
_DIRECTION = r"(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.? )"
# Royal Mail: outward code (A9, A99, AA9, AA99, A9A, AA9A) and inward code (9AA); checked further in code.
UK_POSTCODE = r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}"
_CITY_WORD = r"[A-Z][a-z][A-Za-z'\-]*"  # not "NY" or "SW1": those are the state or the postcode
_CITY = _CITY_WORD + r"(?: " + _CITY_WORD + r"){0,2}"
_TAIL = (
    r"(?:" + _SEP + _UNIT + r")?(?:" + _SEP + r"(?:" + _CITY + r"))?"
    r"(?:(?:,? ?\n ?|,? )(?:[A-Z]{2}(?: [0-9]{5}(?:-[0-9]{4})?)?|" + UK_POSTCODE + r")\b)?"
)

ADDRESS_PATTERNS: dict[str, str] = {
    # [unit,] number [direction] street-name words + USPS/UK suffix [direction] [unit] [city] [ST ZIP | UK postcode].
    "ADDRESS_EN": r"\b(?:"
    + _UNIT
    + _SEP
    + r")?"
    + _NUMBER
    + r",? "
    + _DIRECTION
    + r"?(?:"
    + _WORD
    + r" |[0-9]{1,3}(?:st|nd|rd|th) ){1,4}"
    + _SUFFIX
    + r"\b\.?(?: (?:N|S|E|W|NE|NW|SE|SW)\b)?"
    + _TAIL,
    # UK "Flat 3" / "Studio 7" in place of a house number: "Flat 3, Smith rue, Exeter EX1 2AB".
    "ADDRESS_UK_FLAT": r"\b(?:Flat|Studio|Apartment|Unit) [0-9]{1,4}[A-Za-z]?"
    + _SEP
    + r"(?:"
    + _WORD
    + r" ){1,3}"
    + _SUFFIX
    + r"\b"
    + _TAIL,
    "ADDRESS_PO_BOX": r"\b(?:P\.? ?O\.? Box|PO Box|Post Office Box|POB) [0-9]{1,8}" + _TAIL,
    # US military (Pub. 28 section 225): ship, PSC or unit, then APO/FPO/DPO and AA/AE/AP with a ZIP.
    "ADDRESS_MILITARY": r"\b(?:(?:USNS|USNV|USS|USCGC) [A-Z][a-z]+|PSC [0-9]{4},? Box [0-9]{4}"
    r"|Unit [0-9]{4},? Box [0-9]{4})" + _SEP + r"(?:APO|FPO|DPO) (?:AA|AE|AP) [0-9]{5}\b",
}
ADDRESS_PATTERNS.update(RU_ADDRESS_PATTERNS)
