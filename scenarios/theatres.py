"""Mission laydowns behind the shipped scenarios, transcribed from ../shared/geography.md.

Provenance tags (geography.md explains them and cites the URLs): [src] read in a public source,
[own] background knowledge (coordinates ±0.05°), [calc] computed from sourced data,
[sim] invented for simulation. Beds, ICU beds, tables and notice-to-move are [sim] unless tagged.
"""

L1 = ["resuscitation"]
L1_PLUS = ["resuscitation", "blood"]  # Level I+ adds a blood/lab module [src epomedicine]
L2 = ["resuscitation", "damage_control_surgery", "surgery", "icu", "blood"]
L3 = L2 + ["ct", "neurosurgery", "burns", "obstetrics", "pediatrics"]


def facility(fid, name, level, lat, lon, capabilities, beds, icu, tables,
             *, night_landing=False, refuel=False, helipad=True):
    return {
        "id": fid, "name": name, "level": level, "location": {"lat": lat, "lon": lon},
        "capabilities": list(capabilities), "beds": beds, "icu_beds": icu,
        "operating_tables": tables, "helipad": helipad,
        "night_landing": night_landing, "refuel": refuel,
    }


def asset(aid, callsign, kind, role, lat, lon, cruise, range_km, litters, seats,
          *, night, armed=False, hoist=False, ntm=(30, 45)):
    return {
        "id": aid, "callsign": callsign, "kind": kind, "role": role,
        "base": {"lat": lat, "lon": lon}, "cruise_kmh": cruise, "range_km": range_km,
        "litters": litters, "seats": seats, "night_capable": night, "hoist": hoist,
        "armed": armed,
        # A day-only asset never launches at night; 0 keeps the field an integer.
        "notice_to_move_min": {"day": ntm[0], "night": ntm[1] if night else 0},
    }


# --- MINUSCA (Central African Republic), geography.md §1 and sketch §8.1 -------------------------
CAR_FACILITIES = [
    # Serbian Level II+ Bangui [src vs.rs, un.org/nl 237289]; 3 ICU beds = UN L2 standard [src]
    facility("bgi-l2p", "Bangui Level II+ (Serbian)", 2, 4.39, 18.54, L2, 20, 3, 2,
             night_landing=True, refuel=True),
    # Rwandan Level II Bria: ortho, OB/GYN, 3 ICU beds [src newtimes 2015]
    facility("bria-l2", "Bria Level II (Rwandan)", 2, 6.54, 21.99, L2 + ["obstetrics"], 15, 3, 1,
             refuel=True),
    # Bangladeshi Level II Bouar receives the 3R IED-belt CASEVACs [src ndjonisango 2022]
    facility("bouar-l2", "Bouar Level II (Bangladeshi)", 2, 5.94, 15.60, L2, 15, 2, 1, refuel=True),
    # Battalion Level I clinics [src peacekeeping.un.org, sahel-intelligence, sputnik]
    facility("kaga-l1", "Kaga-Bandoro Level I (Pakistani bn)", 1, 7.00, 19.18, L1, 5, 0, 0),
    facility("bgs-l1p", "Bangassou Level I+", 1, 4.74, 22.82, L1_PLUS, 5, 0, 0, refuel=True),
    facility("bambari-l1", "Bambari Level I", 1, 5.77, 20.67, L1, 5, 0, 0, refuel=True),
    facility("ndele-l1", "Ndele Level I (Pakistani coy)", 1, 8.41, 20.65, L1, 5, 0, 0),
    facility("birao-l1", "Birao Level I (Zambian bn)", 1, 10.29, 22.78, L1, 5, 0, 0, refuel=True),
    facility("zemio-l1", "Zemio Level I (Nepalese)", 1, 5.03, 25.14, L1, 5, 0, 0),
    # "UN Level three hospital" used from Bangui [src newtimes 2015]; 1,620 km: fixed wing only
    facility("kla-l3", "Nakasero Hospital Kampala (UN Level III, contracted)", 3, 0.32, 32.58,
             L3, 60, 8, 4, helipad=False),
]

CAR_ASSETS = [
    # SLAF Mi-17 unit at Bangui [src defenceweb]; NVG not stated -> day only [sim]
    asset("slaf-1", "UNO 324P", "helicopter", "medevac", 4.40, 18.52, 220, 550, 6, 12, night=False),
    # Forward Mi-17 inferred from the 1 h 45 min Zemio CASEVAC [src adaderana + calc]; base [sim]
    asset("slaf-fwd", "UNO 325P", "helicopter", "medevac", 4.74, 22.82, 220, 550, 6, 12, night=False),
    # Armed Mi-171Sh with night vision [src observerbd 2020]; 30/45 NTM after Belgian A109 [src]
    asset("ban-1", "BANAIR 1", "helicopter", "casevac", 4.40, 18.52, 225, 600, 8, 20,
          night=True, armed=True),
    asset("ban-2", "BANAIR 2", "helicopter", "casevac", 4.40, 18.52, 225, 600, 8, 20,
          night=True, armed=True),
    # Tunisian AB205A + AMET, FLIR but NVG not stated [src africanmanager 2021]
    asset("tun-1", "TUNAIR 1", "helicopter", "medevac", 4.40, 18.52, 190, 450, 3, 6,
          night=False, armed=True, ntm=(20, 0)),
    # [sim] C-295-class aircraft for Bangui -> Kampala strategic evacuation
    asset("un-fw-1", "UNO FW1", "fixed_wing", "medevac", 4.40, 18.52, 480, 3000, 12, 20,
          night=True, ntm=(90, 120)),
    # [sim] armoured ambulances at the three Level II hospitals
    asset("amb-bgi", "BANGUI AMB", "ground", "medevac", 4.39, 18.54, 35, 400, 2, 2,
          night=True, ntm=(10, 15)),
    asset("amb-bouar", "BOUAR AMB", "ground", "medevac", 5.94, 15.60, 35, 400, 2, 2,
          night=True, ntm=(10, 15)),
    asset("amb-bria", "BRIA AMB", "ground", "medevac", 6.54, 21.99, 35, 400, 2, 2,
          night=True, ntm=(10, 15)),
    # [sim] camp ambulance of the Bangassou Level I+ (casualties inside or near the camp)
    asset("amb-bgs", "BANGASSOU AMB", "ground", "medevac", 4.74, 22.82, 35, 400, 2, 2,
          night=True, ntm=(10, 15)),
]

# Camps where disease and non-battle injury arise, weighted by troop presence [sim];
# locations [src]/[own] from geography.md §1.3.
CAR_CAMPS = [
    ("Bangui", 4.39, 18.54, 0.25), ("Bouar", 5.94, 15.60, 0.10), ("Bria", 6.54, 21.99, 0.10),
    ("Bangassou", 4.74, 22.82, 0.10), ("Kaga-Bandoro", 7.00, 19.18, 0.08),
    ("Bambari", 5.77, 20.67, 0.08), ("Birao", 10.29, 22.78, 0.06), ("Zemio", 5.03, 25.14, 0.06),
    ("Ndele", 8.41, 20.65, 0.05), ("Paoua", 7.25, 16.43, 0.05), ("Batangafo", 7.30, 18.29, 0.04),
    ("Obo", 5.40, 26.49, 0.03),
]

# Trauma hotspots (name, lat, lon, radius km, weight): places from cited incidents §1.4 [src],
# weights [sim] (sketch §8.1).
CAR_HOTSPOTS = [
    ("Koui-Bocaranga IED belt (3R)", 6.95, 15.50, 40, 0.18),
    ("Bouar-Baboua-Beloko MSR1", 5.90, 15.10, 50, 0.07),
    ("Bangassou-Rafai road (Yogofongo)", 4.80, 22.99, 40, 0.15),
    ("Zemio-Mboki / Zemio-Rafai axes", 5.10, 25.30, 40, 0.15),
    ("Bria / Haute-Kotto", 6.54, 21.99, 40, 0.08),
    ("Bambari-Alindao", 5.40, 21.00, 50, 0.08),
    ("Kaga-Bandoro-Batangafo", 7.15, 18.70, 50, 0.07),
    ("Ndele", 8.41, 20.65, 30, 0.05),
    ("Birao / Am-Sissia", 10.45, 23.00, 40, 0.07),
    ("Bangui and Damara road", 4.60, 18.65, 40, 0.10),
]

# --- MINUSMA (northern and central Mali), geography.md §4 and sketch §8.2 ------------------------
MALI_FACILITIES = [
    # Chinese Level II at Gao airport [src chinadaily 2014, chinamil 2021-22]
    facility("gao-l2", "Gao Level II (Chinese)", 2, 16.25, 0.00, L2, 20, 3, 2,
             night_landing=True, refuel=True),
    # Nigerian Level II at Timbuktu airport [src minusma.unmissions.org, afripost 2021]
    facility("tbu-l2", "Timbuktu Level II (Nigerian)", 2, 16.73, -3.01, L2, 15, 2, 1,
             night_landing=True, refuel=True),
    # Pakistani "Tier 2", 24/7, gynaecology [src peacekeeping.un.org]
    facility("mpt-l2p", "Mopti Level II+ (Pakistani)", 2, 14.53, -4.10, L2 + ["obstetrics"], 20, 3, 2,
             night_landing=True, refuel=True),
    facility("gao-l1-deu", "Gao Level I (German, Camp Castor)", 1, 16.25, 0.01, L1_PLUS, 5, 0, 0,
             night_landing=True, refuel=True),
    # Kidal camp clinic treated the Nov 2015 wounded first [src guineetime 2015]; L1+ [sim]
    facility("kidal-l1p", "Kidal Level I+ (camp)", 1, 18.44, 1.41, L1_PLUS, 8, 0, 0, refuel=True),
    facility("tsl-l1", "Tessalit Level I (Chadian)", 1, 20.25, 0.98, L1, 5, 0, 0, refuel=True),
    facility("agk-l1", "Aguelhok Level I (Chadian)", 1, 19.47, 0.86, L1, 5, 0, 0),
    facility("mnk-l1", "Menaka Level I", 1, 15.92, 2.40, L1, 5, 0, 0, refuel=True),
    # Pumas refuelled at Douentza [src ziare 2020]
    facility("dtz-l1", "Douentza Level I (Togolese)", 1, 15.00, -2.95, L1, 5, 0, 0, refuel=True),
    facility("svr-l1", "Sevare Level I (Senegalese)", 1, 14.52, -4.09, L1, 5, 0, 0,
             night_landing=True, refuel=True),
    # Ber/Goundam Burkinabe camp clinic [src tchadinfos, §4.1 list of camp Level I]
    facility("ber-l1", "Ber Level I (Burkinabe)", 1, 16.75, -2.52, L1, 5, 0, 0),
    # "structure de reference de la MINUSMA" [src dakaractu 2021]; fixed wing only
    facility("dkr-l4", "Hopital Principal de Dakar", 4, 14.66, -17.43, L3 + ["mental_health"],
             100, 10, 6, helipad=False),
]

MALI_ASSETS = [
    # Romanian IAR-330 Pumas at Gao, night ops, door guns, 20-min reconfiguration [src nineoclock]
    asset("rou-1", "CARPATHIAN 1", "helicopter", "medevac", 16.25, 0.00, 250, 550, 6, 12,
          night=True, armed=True, ntm=(20, 30)),
    asset("rou-2", "CARPATHIAN 2", "helicopter", "medevac", 16.25, 0.00, 250, 550, 6, 12,
          night=True, armed=True, ntm=(30, 45)),
    # temporary relocation to Mopti [src nineoclock]
    asset("rou-3", "CARPATHIAN 3", "helicopter", "casevac", 14.51, -4.08, 250, 550, 6, 12,
          night=True, armed=True, ntm=(30, 60)),
    # Salvadoran MD 500E, NVG [src analisidifesa 2019]: escorts, two seats only
    asset("slv-1", "GAVILAN 1", "helicopter", "casevac", 16.25, 0.00, 240, 430, 0, 2,
          night=True, armed=True, ntm=(20, 30)),
    asset("slv-2", "TOROGOZ 1", "helicopter", "casevac", 16.73, -3.01, 240, 430, 0, 2,
          night=True, armed=True, ntm=(20, 30)),
    # Bangladeshi Mi-171 for casualty transfer [src bd-pratidin 2016]; base, day only [sim]
    asset("ban-mi171", "BANAIR 1", "helicopter", "casevac", 16.73, -3.01, 225, 600, 8, 20,
          night=False, ntm=(45, 0)),
    # [sim] contracted day-VFR Mi-8 at Kidal; long NTM models approval delays [src globeandmail]
    asset("ctr-mi8", "UNO 8XX", "helicopter", "casevac", 18.44, 1.41, 220, 500, 8, 20,
          night=False, ntm=(60, 0)),
    # Tunisian C-130H [src military.africa 2021]; Bamako base [own]
    asset("tun-c130", "TUN C130", "fixed_wing", "casevac", 12.53, -7.95, 540, 3800, 40, 60,
          night=True, ntm=(120, 180)),
    # [sim]; the Chinese L2 runs its own ambulance to the airport [src chinamil 2022]
    asset("amb-gao", "GAO AMB", "ground", "medevac", 16.25, 0.00, 30, 400, 2, 2,
          night=True, ntm=(10, 15)),
    asset("amb-tbu", "TBU AMB", "ground", "medevac", 16.73, -3.01, 30, 400, 2, 2,
          night=True, ntm=(10, 15)),
    # [sim] camp ambulances of the Level I clinics that first treat camp casualties
    # (Kidal Nov 2015 wounded were treated in the camp first [src guineetime 2015])
    asset("amb-kidal", "KIDAL AMB", "ground", "medevac", 18.44, 1.41, 30, 400, 2, 2,
          night=True, ntm=(10, 15)),
    asset("amb-agk", "AGUELHOK AMB", "ground", "medevac", 19.47, 0.86, 30, 400, 2, 2,
          night=True, ntm=(10, 15)),
    asset("amb-ber", "BER AMB", "ground", "medevac", 16.75, -2.52, 30, 400, 2, 2,
          night=True, ntm=(10, 15)),
]

MALI_CAMPS = [
    ("Gao", 16.25, 0.00, 0.25), ("Timbuktu", 16.73, -3.01, 0.15), ("Mopti-Sevare", 14.52, -4.09, 0.12),
    ("Kidal", 18.44, 1.41, 0.12), ("Tessalit", 20.25, 0.98, 0.07), ("Aguelhok", 19.47, 0.86, 0.07),
    ("Menaka", 15.92, 2.40, 0.07), ("Douentza", 15.00, -2.95, 0.05), ("Ber", 16.75, -2.52, 0.04),
    ("Ansongo", 15.66, 0.50, 0.03), ("Goundam", 16.41, -3.67, 0.03),
]

MALI_HOTSPOTS = [
    ("Aguelhok camp and approaches", 19.47, 0.86, 25, 0.14),
    ("Tessalit / Amachach", 20.25, 0.98, 25, 0.06),
    ("Kidal camp and town", 18.44, 1.41, 25, 0.12),
    ("Gao-Anefis-Kidal MSR", 17.20, 0.40, 80, 0.07),
    ("Gao-Ansongo road", 15.66, 0.50, 40, 0.06),
    ("Ansongo-Menaka road (Indelimane)", 15.88, 1.35, 60, 0.05),
    ("Menaka", 15.92, 2.40, 40, 0.06),
    ("Timbuktu super-camp (indirect fire)", 16.73, -3.01, 15, 0.07),
    ("Ber", 16.75, -2.52, 30, 0.05),
    ("Goundam-Timbuktu road", 16.55, -3.35, 40, 0.04),
    ("Lere", 15.71, -4.91, 40, 0.04),
    ("Douentza-Boni-Kerena (RN16)", 15.00, -2.80, 60, 0.10),
    ("Sevare-Bandiagara-Bankass-Ogossagou", 14.20, -3.70, 50, 0.09),
    ("Gao town and camp", 16.27, -0.04, 15, 0.05),
]
