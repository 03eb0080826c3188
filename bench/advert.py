"""A realistic 2,000-word job advert for `make bench`: the kind of long council advert,
with its person specification and benefits, that the checker must report on quickly."""

import re

PARTS = [
    "Senior Data Analyst\n\nLondon Borough of Hackney, Data and Insight Team\n",
    "About the role\nAs our Senior Data Analyst, you will join the Corporate Leadership "
    "Team's programme of analytics work. Analyse data from housing, social care and waste "
    "services, and turn the analysis into reports that residents and councillors can read. "
    "You will be an analytical thinker who can lead small projects, make decisions with "
    "confidence and support colleagues who are new to data. Applications will be assessed "
    "by a panel of three, and stakeholders across the council will rely on your work to "
    "leverage the GDPR-compliant data platform going forward.\n",
    "Key responsibilities\n- Lead the monthly performance report for the Head of Digital\n"
    "- Build dashboards in Power BI and explain them to team leaders\n"
    "- Support colleagues to use data well, with patience and understanding\n"
    "- Work with analysts in other London councils on shared datasets\n",
    "Essential criteria\n- A degree in a numerate subject\n- At least 5 years' experience of "
    "SQL\n- Native English speaker\n- Full UK driving licence\n- Competitive, ambitious and "
    "decisive\n- Able to work independently\n- Strong stakeholder management\n",
    "What we offer\nThe salary is £38,000 to £44,000 a year. We offer hybrid working and will "
    "consider job share. We make reasonable adjustments and are a Disability Confident "
    "employer. For an informal chat, contact Priya Shah at priya.shah@hackney.gov.uk.\n",
]


def advert(words: int = 2000) -> str:
    """The parts, repeated in turn, until the advert has ``words`` words."""
    text, index = "", 0
    while len(re.findall(r"\w+", text)) < words:
        text += PARTS[index % len(PARTS)] + "\n"
        index += 1
    return text
