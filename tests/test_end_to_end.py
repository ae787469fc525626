"""An enterprise registers, answers every stage in the browser's way, submits and gets its PDF."""
import io
import re

from conftest import PASSWORD, VALID_CODES, area
from pypdf import PdfReader

from diagnosis import catalog
from diagnosis.demo import demo_payload

NAME = "许昌端到端精密机械有限公司"


def form_value(spec_kind, value):
    if spec_kind == "cmmm":
        return "na" if value is None else f"{value:g}"
    if isinstance(value, list):
        return value
    return str(value)


def post_stage(client, url, profile, answers):
    """Fill the page at ``url`` from the payload by reading its field names, then post it."""
    page = client.get(url).data.decode()
    names = sorted(set(re.findall(r'name="(f_[^"]+)"', page)))
    assert names, page[:2000]
    data = {"action": "next"}
    for name in names:
        key = name[2:]
        for source in (profile, answers):
            candidates = [k for k in source if k.replace(".", "_").replace("-", "_") == key]
            if candidates:
                value = source[candidates[0]]
                data[name] = "na" if value is None else (f"{value:g}" if isinstance(value, float) else form_value("", value))
    response = client.post(url, data=data)
    assert response.status_code == 302, re.findall(r'<ul class="errors">.*?</ul>', response.data.decode(), re.S)[:3]
    return response.headers["Location"]


def test_register_answer_every_stage_submit_and_download_the_pdf(client):
    response = client.post("/register", data={
        "enterprise_name": NAME, "credit_code": VALID_CODES[2], "area_id": str(area("changge").id),
        "industry_code": "34", "above_scale": "y", "contact_name": "周七", "contact_phone": "13700001111",
        "email": "e2e@example.com", "password": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    url = client.post("/diagnoses/new", data={"questionnaire": "zhizao-2024"}).headers["Location"]
    payload = demo_payload(catalog.library())
    seen = []
    for _ in range(12):
        if "/submit" in url:
            break
        seen.append(url.rsplit("/stages/", 1)[1])
        url = post_stage(client, url, payload["profile"], payload["answers"])
    assert seen[:4] == ["profile", "sme-basics", "sme-scenes", "sme-management"]
    assert seen[4:] == ["cmmm", "cmmm?level=2", "cmmm?level=3"]      # achieved level 2, so level 3 is asked
    response = client.post(url)
    result_url = response.headers["Location"]
    page = client.get(result_url).data.decode()
    assert NAME in page and "二级" in page
    pdf = client.get(result_url + "/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert NAME in text
