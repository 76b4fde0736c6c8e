"""A small CAR laydown created through the API, as a mission's registrar would."""

BANGUI = {"lat": 4.39, "lon": 18.55}
BAMBARI = {"lat": 5.76, "lon": 20.67}
KAGA_BANDORO = {"lat": 6.99, "lon": 19.18}


async def laydown(api) -> dict:
    """Two facilities and two helicopters; returns them by short name."""
    made = {}
    for key, body in {
        "level2": {"name": "Bangui Level II", "level": 2, "location": BANGUI, "beds": 20, "usable_beds": 12,
                   "icu_beds": 2, "operating_tables": 2, "night_landing": True, "refuel": True,
                   "capabilities": ["resuscitation", "damage_control_surgery", "surgery", "icu", "blood"]},
        "level1": {"name": "Bambari Level I", "level": 1, "location": BAMBARI, "beds": 6, "usable_beds": 4,
                   "night_landing": True, "capabilities": ["resuscitation"]},
    }.items():
        made[key] = await _create(api, "/v1/facilities", body)
    for key, body in {
        "mi17": {"callsign": "UNO 21", "kind": "helicopter", "role": "medevac", "model": "Mi-17", "base": BAMBARI,
                 "cruise_kmh": 220, "range_km": 900, "litters": 12, "seats": 20, "night_capable": True,
                 "notice_to_move_min": {"day": 15, "night": 20}},
        "bell": {"callsign": "UNO 34", "kind": "helicopter", "role": "casevac", "model": "Bell 412",
                 "base": KAGA_BANDORO, "cruise_kmh": 230, "range_km": 700, "litters": 2, "seats": 6,
                 "notice_to_move_min": {"day": 30, "night": 45}},
    }.items():
        made[key] = await _create(api, "/v1/assets", body)
    return made


async def _create(api, path: str, body: dict) -> dict:
    async with api.post(path, json=body) as response:
        assert response.status == 201, await response.text()
        return await response.json()


def nine_line(call_sign: str, *, urgent: int = 1, litter: int | None = None, at: dict | None = None,
              **extra) -> dict:
    """A structured 9-line as a radio operator's console would send it (lines 1-5)."""
    litter = urgent if litter is None else litter
    return {"location": at or {"lat": 5.95, "lon": 20.85}, "radio": {"frequency": "38.90", "call_sign": call_sign},
            "precedence": {"A": urgent}, "special_equipment": ["A"],
            "patients_by_type": {"litter": litter, "ambulatory": urgent - litter}, **extra}


async def submit(api, body: dict) -> dict:
    return await _create(api, "/v1/evac-requests", body)
