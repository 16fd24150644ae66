"""Word lists for `bip demo`: Lubuskie places with their Polish case forms, names, streets, topics.

The seeds/*.txt files beside this module are real BIP texts of the marshal's office, kept verbatim.
"""

from __future__ import annotations

# Powiaty: adjective, seat (nominative), "w + locative" of the seat, phone area code, TERYT code.
POWIATY: tuple[tuple[str, str, str, str, str], ...] = (
    ("gorzowski", "Gorzów Wielkopolski", "w Gorzowie Wielkopolskim", "95", "0801"),
    ("krośnieński", "Krosno Odrzańskie", "w Krośnie Odrzańskim", "68", "0802"),
    ("międzyrzecki", "Międzyrzecz", "w Międzyrzeczu", "95", "0803"),
    ("nowosolski", "Nowa Sól", "w Nowej Soli", "68", "0804"),
    ("słubicki", "Słubice", "w Słubicach", "95", "0805"),
    ("strzelecko-drezdenecki", "Strzelce Krajeńskie", "w Strzelcach Krajeńskich", "95", "0806"),
    ("sulęciński", "Sulęcin", "w Sulęcinie", "95", "0807"),
    ("świebodziński", "Świebodzin", "w Świebodzinie", "68", "0808"),
    ("zielonogórski", "Zielona Góra", "w Zielonej Górze", "68", "0809"),
    ("żagański", "Żagań", "w Żaganiu", "68", "0810"),
    ("żarski", "Żary", "w Żarach", "68", "0811"),
    ("wschowski", "Wschowa", "we Wschowie", "65", "0812"),
)

# Gminy: name, genitive, "w + locative", type, index into POWIATY.
# Type: "mnpp" miasto na prawach powiatu, "m" gmina miejska, "mw" miejsko-wiejska, "w" wiejska.
GMINY: tuple[tuple[str, str, str, str, int], ...] = (
    ("Zielona Góra", "Zielonej Góry", "w Zielonej Górze", "mnpp", 8),
    ("Gorzów Wielkopolski", "Gorzowa Wielkopolskiego", "w Gorzowie Wielkopolskim", "mnpp", 0),
    ("Bogdaniec", "Bogdańca", "w Bogdańcu", "w", 0),
    ("Deszczno", "Deszczna", "w Deszcznie", "w", 0),
    ("Kłodawa", "Kłodawy", "w Kłodawie", "w", 0),
    ("Kostrzyn nad Odrą", "Kostrzyna nad Odrą", "w Kostrzynie nad Odrą", "m", 0),
    ("Lubiszyn", "Lubiszyna", "w Lubiszynie", "w", 0),
    ("Santok", "Santoka", "w Santoku", "w", 0),
    ("Witnica", "Witnicy", "w Witnicy", "mw", 0),
    ("Bobrowice", "Bobrowic", "w Bobrowicach", "w", 1),
    ("Bytnica", "Bytnicy", "w Bytnicy", "w", 1),
    ("Dąbie", "Dąbia", "w Dąbiu", "w", 1),
    ("Gubin", "Gubina", "w Gubinie", "m", 1),
    ("Gubin", "Gubina", "w Gubinie", "w", 1),
    ("Krosno Odrzańskie", "Krosna Odrzańskiego", "w Krośnie Odrzańskim", "mw", 1),
    ("Maszewo", "Maszewa", "w Maszewie", "w", 1),
    ("Bledzew", "Bledzewa", "w Bledzewie", "w", 2),
    ("Międzyrzecz", "Międzyrzecza", "w Międzyrzeczu", "mw", 2),
    ("Przytoczna", "Przytocznej", "w Przytocznej", "w", 2),
    ("Pszczew", "Pszczewa", "w Pszczewie", "w", 2),
    ("Skwierzyna", "Skwierzyny", "w Skwierzynie", "mw", 2),
    ("Trzciel", "Trzciela", "w Trzcielu", "mw", 2),
    ("Bytom Odrzański", "Bytomia Odrzańskiego", "w Bytomiu Odrzańskim", "mw", 3),
    ("Kolsko", "Kolska", "w Kolsku", "w", 3),
    ("Kożuchów", "Kożuchowa", "w Kożuchowie", "mw", 3),
    ("Nowa Sól", "Nowej Soli", "w Nowej Soli", "m", 3),
    ("Nowa Sól", "Nowej Soli", "w Nowej Soli", "w", 3),
    ("Nowe Miasteczko", "Nowego Miasteczka", "w Nowym Miasteczku", "mw", 3),
    ("Otyń", "Otynia", "w Otyniu", "mw", 3),
    ("Siedlisko", "Siedliska", "w Siedlisku", "w", 3),
    ("Cybinka", "Cybinki", "w Cybince", "mw", 4),
    ("Górzyca", "Górzycy", "w Górzycy", "w", 4),
    ("Ośno Lubuskie", "Ośna Lubuskiego", "w Ośnie Lubuskim", "mw", 4),
    ("Rzepin", "Rzepina", "w Rzepinie", "mw", 4),
    ("Słubice", "Słubic", "w Słubicach", "mw", 4),
    ("Dobiegniew", "Dobiegniewa", "w Dobiegniewie", "mw", 5),
    ("Drezdenko", "Drezdenka", "w Drezdenku", "mw", 5),
    ("Stare Kurowo", "Starego Kurowa", "w Starym Kurowie", "w", 5),
    ("Strzelce Krajeńskie", "Strzelec Krajeńskich", "w Strzelcach Krajeńskich", "mw", 5),
    ("Zwierzyn", "Zwierzyna", "w Zwierzynie", "w", 5),
    ("Krzeszyce", "Krzeszyc", "w Krzeszycach", "w", 6),
    ("Lubniewice", "Lubniewic", "w Lubniewicach", "mw", 6),
    ("Słońsk", "Słońska", "w Słońsku", "w", 6),
    ("Sulęcin", "Sulęcina", "w Sulęcinie", "mw", 6),
    ("Torzym", "Torzymia", "w Torzymiu", "mw", 6),
    ("Lubrza", "Lubrzy", "w Lubrzy", "w", 7),
    ("Łagów", "Łagowa", "w Łagowie", "w", 7),
    ("Skąpe", "Skąpego", "w Skąpem", "w", 7),
    ("Szczaniec", "Szczańca", "w Szczańcu", "w", 7),
    ("Świebodzin", "Świebodzina", "w Świebodzinie", "mw", 7),
    ("Zbąszynek", "Zbąszynka", "w Zbąszynku", "mw", 7),
    ("Babimost", "Babimostu", "w Babimoście", "mw", 8),
    ("Bojadła", "Bojadeł", "w Bojadłach", "w", 8),
    ("Czerwieńsk", "Czerwieńska", "w Czerwieńsku", "mw", 8),
    ("Kargowa", "Kargowej", "w Kargowej", "mw", 8),
    ("Nowogród Bobrzański", "Nowogrodu Bobrzańskiego", "w Nowogrodzie Bobrzańskim", "mw", 8),
    ("Sulechów", "Sulechowa", "w Sulechowie", "mw", 8),
    ("Świdnica", "Świdnicy", "w Świdnicy", "w", 8),
    ("Trzebiechów", "Trzebiechowa", "w Trzebiechowie", "w", 8),
    ("Zabór", "Zaboru", "w Zaborze", "w", 8),
    ("Brzeźnica", "Brzeźnicy", "w Brzeźnicy", "w", 9),
    ("Gozdnica", "Gozdnicy", "w Gozdnicy", "m", 9),
    ("Iłowa", "Iłowej", "w Iłowej", "mw", 9),
    ("Małomice", "Małomic", "w Małomicach", "mw", 9),
    ("Niegosławice", "Niegosławic", "w Niegosławicach", "w", 9),
    ("Szprotawa", "Szprotawy", "w Szprotawie", "mw", 9),
    ("Wymiarki", "Wymiarek", "w Wymiarkach", "w", 9),
    ("Żagań", "Żagania", "w Żaganiu", "m", 9),
    ("Żagań", "Żagania", "w Żaganiu", "w", 9),
    ("Brody", "Brodów", "w Brodach", "w", 10),
    ("Jasień", "Jasienia", "w Jasieniu", "mw", 10),
    ("Lipinki Łużyckie", "Lipinek Łużyckich", "w Lipinkach Łużyckich", "w", 10),
    ("Lubsko", "Lubska", "w Lubsku", "mw", 10),
    ("Łęknica", "Łęknicy", "w Łęknicy", "m", 10),
    ("Przewóz", "Przewozu", "w Przewozie", "w", 10),
    ("Trzebiel", "Trzebiela", "w Trzebielu", "w", 10),
    ("Tuplice", "Tuplic", "w Tuplicach", "w", 10),
    ("Żary", "Żar", "w Żarach", "m", 10),
    ("Żary", "Żar", "w Żarach", "w", 10),
    ("Sława", "Sławy", "w Sławie", "mw", 11),
    ("Szlichtyngowa", "Szlichtyngowej", "w Szlichtyngowej", "mw", 11),
    ("Wschowa", "Wschowy", "we Wschowie", "mw", 11),
)

# Villages and quarters used in street names, plots, tenders and petitions.
VILLAGES: tuple[str, ...] = (
    "Jenin", "Chwalęcice", "Wieprzyce", "Karnin", "Racław", "Stanowice", "Ciecierzyce", "Łupowo",
    "Płonica", "Krępa", "Ochla", "Zatonie", "Przylep", "Jany", "Drzonków", "Raculka", "Kiełpin",
    "Zawada", "Stary Kisielin", "Nowy Kisielin", "Łężyca", "Jarogniewice", "Kosieczyn", "Radowice",
    "Glinik", "Mierków", "Lubięcin", "Bieniów", "Olbrachtów", "Mirostowice", "Lipinki", "Bronków",
    "Trzebule", "Gorzupia", "Grabik", "Marzęcin", "Dzików", "Rybaki", "Sieniawa", "Kalsk",
    "Mostki", "Rusinów", "Goszczanowiec", "Tuczno", "Wiejce", "Trzebicz", "Borowo", "Buszów",
    "Przybymierz", "Osiecko", "Lubiechnia", "Sieciejewo", "Radnica", "Kosarzyn", "Dobrosułów",
)

STREETS: tuple[str, ...] = (
    "ul. Kościuszki", "ul. Mickiewicza", "ul. Rynek", "pl. Ratuszowy", "ul. Szkolna", "ul. Wojska Polskiego",
    "ul. Jana Pawła II", "ul. Słowackiego", "ul. Dworcowa", "ul. Kolejowa", "ul. Lipowa", "ul. Parkowa",
    "ul. Ogrodowa", "ul. Kwiatowa", "ul. Żeromskiego", "ul. Bohaterów Westerplatte", "ul. 1 Maja",
    "ul. Piastowska", "ul. Sienkiewicza", "ul. Chrobrego", "ul. Wrocławska", "ul. Poznańska",
    "ul. Sportowa", "ul. Leśna", "ul. Zielona", "ul. Polna", "ul. Łąkowa", "ul. Kopernika",
    "ul. Armii Krajowej", "ul. Konstytucji 3 Maja", "ul. Niepodległości", "ul. Westerplatte",
)

FIRST_NAMES_M: tuple[str, ...] = (
    "Jan", "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Marcin", "Michał", "Grzegorz", "Jerzy",
    "Tadeusz", "Adam", "Łukasz", "Zbigniew", "Ryszard", "Dariusz", "Henryk", "Mariusz", "Kazimierz",
    "Wojciech", "Robert", "Mateusz", "Marian", "Rafał", "Jacek", "Janusz", "Mirosław", "Maciej",
    "Sławomir", "Jarosław", "Kamil", "Wiesław", "Roman", "Władysław", "Jakub", "Artur", "Zdzisław",
    "Edward", "Mieczysław", "Damian", "Dawid", "Przemysław", "Sebastian", "Czesław", "Leszek", "Daniel",
)

FIRST_NAMES_F: tuple[str, ...] = (
    "Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna", "Elżbieta",
    "Magdalena", "Joanna", "Zofia", "Monika", "Teresa", "Danuta", "Natalia", "Aleksandra", "Karolina",
    "Marta", "Beata", "Dorota", "Halina", "Jadwiga", "Janina", "Alicja", "Irena", "Grażyna", "Iwona",
    "Paulina", "Justyna", "Bożena", "Urszula", "Renata", "Sylwia", "Agata", "Patrycja", "Izabela",
    "Julia", "Wiesława", "Ewelina", "Marianna", "Stanisława", "Weronika", "Edyta", "Jolanta", "Kinga",
)

# Surnames in the masculine form; -ski/-cki/-dzki take -ska/-cka/-dzka for women.
SURNAMES: tuple[str, ...] = (
    "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
    "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Wojciechowski", "Kwiatkowski",
    "Krawczyk", "Kaczmarek", "Piotrowski", "Grabowski", "Zając", "Pawłowski", "Michalski", "Król",
    "Wieczorek", "Jabłoński", "Wróbel", "Nowakowski", "Majewski", "Olszewski", "Stępień", "Malinowski",
    "Jaworski", "Adamczyk", "Dudek", "Nowicki", "Pawlak", "Górski", "Witkowski", "Walczak", "Sikora",
    "Baran", "Rutkowski", "Michalak", "Szewczyk", "Ostrowski", "Tomaszewski", "Pietrzak", "Marciniak",
    "Wróblewski", "Zalewski", "Jakubowski", "Jasiński", "Zawadzki", "Sadowski", "Bąk", "Chmielewski",
    "Włodarczyk", "Borkowski", "Czarnecki", "Sawicki", "Sokołowski", "Urbański", "Kubiak", "Maciejewski",
    "Szczepański", "Kucharski", "Wilk", "Kalinowski", "Lis", "Mazurek", "Wysocki", "Adamski", "Kaźmierczak",
    "Wasilewski", "Sobczak", "Czerwiński", "Andrzejewski", "Cieślak", "Głowacki", "Zakrzewski", "Kołodziej",
)

# Departments (komórki organizacyjne) answering for information of self-government offices.
DEPARTMENTS: tuple[str, ...] = (
    "Referat Organizacyjny", "Referat Finansowo-Budżetowy", "Referat Inwestycji i Zamówień Publicznych",
    "Referat Gospodarki Nieruchomościami", "Referat Ochrony Środowiska i Rolnictwa", "Referat Oświaty",
    "Referat Podatków i Opłat Lokalnych", "Urząd Stanu Cywilnego", "Biuro Rady", "Stanowisko ds. kadr",
    "Referat Spraw Obywatelskich", "Referat Gospodarki Komunalnej", "Stanowisko ds. zamówień publicznych",
)

# Words for company names in tenders.
COMPANY_STEMS: tuple[str, ...] = (
    "Lubtrans", "Drogbud", "Ekobud", "Budomex", "Instal-Lub", "Elektromont", "Termobud", "Lubdrog",
    "Hydro-Tech", "Odra-Bud", "Polbruk", "Eko-Serwis", "Geo-Projekt", "Strabud", "Transkom", "Comp-Lub",
)

# Tender subjects; {village} and {year} are filled in.
TENDER_SUBJECTS: tuple[str, ...] = (
    "Przebudowa drogi gminnej w miejscowości {village}",
    "Budowa sieci wodociągowej w miejscowości {village}",
    "Budowa kanalizacji sanitarnej w miejscowości {village} – etap II",
    "Termomodernizacja budynku świetlicy wiejskiej w miejscowości {village}",
    "Dostawa oleju opałowego w sezonie grzewczym {year}/{next_year}",
    "Odbiór i zagospodarowanie odpadów komunalnych od właścicieli nieruchomości zamieszkałych",
    "Zimowe utrzymanie dróg w sezonie {year}/{next_year}",
    "Dowóz uczniów do szkół w roku szkolnym {year}/{next_year}",
    "Zakup średniego samochodu ratowniczo-gaśniczego dla OSP {village}",
    "Budowa placu zabaw w miejscowości {village}",
    "Modernizacja oświetlenia ulicznego na terenie gminy",
    "Dostawa sprzętu komputerowego i oprogramowania",
    "Świadczenie usług pocztowych w obrocie krajowym i zagranicznym w latach {year}–{next_year}",
    "Ubezpieczenie mienia i odpowiedzialności cywilnej",
    "Remont chodnika w miejscowości {village} ({street})",
    "Budowa ścieżki rowerowej {village} – {village2}",
    "Dostawa energii elektrycznej w {year} roku",
    "Przygotowanie i dostawa posiłków dla uczniów",
    "Wykonanie dokumentacji projektowej przebudowy budynku urzędu ({street})",
    "Rozbudowa oczyszczalni ścieków w miejscowości {village}",
)

POSITIONS_OFFICE: tuple[str, ...] = (
    "inspektor ds. zamówień publicznych", "podinspektor ds. księgowości budżetowej",
    "inspektor ds. gospodarki nieruchomościami", "referent ds. obsługi sekretariatu",
    "inspektor ds. ochrony środowiska", "pomoc administracyjna", "inspektor ds. oświaty",
    "podinspektor ds. wymiaru podatków", "inspektor ds. inwestycji", "informatyk",
    "inspektor ds. zarządzania kryzysowego", "młodszy referent ds. obsługi rady",
    "inspektor ds. drogownictwa", "podinspektor ds. ewidencji ludności", "kierownik referatu finansowego",
)

POSITIONS_UNIT: tuple[str, ...] = (
    "główny księgowy", "specjalista ds. kadr i płac", "referent ds. administracyjnych",
    "pracownik socjalny", "asystent rodziny", "starszy bibliotekarz", "sekretarz szkoły",
    "intendent", "konserwator", "specjalista ds. zamówień publicznych", "opiekun dzieci",
)

SERVICES: tuple[str, ...] = (
    "Wydanie zaświadczenia o niezaleganiu w podatkach", "Zameldowanie na pobyt stały",
    "Wydanie dowodu osobistego", "Rejestracja urodzenia dziecka", "Zawarcie związku małżeńskiego",
    "Wydanie decyzji o warunkach zabudowy", "Wydanie wypisu i wyrysu z planu miejscowego",
    "Zezwolenie na usunięcie drzew lub krzewów", "Wpis do Centralnej Ewidencji i Informacji o Działalności Gospodarczej",
    "Zezwolenie na sprzedaż napojów alkoholowych", "Deklaracja o wysokości opłaty za gospodarowanie odpadami",
    "Zwrot podatku akcyzowego zawartego w cenie oleju napędowego", "Ustalenie numeru porządkowego nieruchomości",
    "Wydanie zaświadczenia o przeznaczeniu działki w planie miejscowym", "Udostępnienie informacji publicznej na wniosek",
    "Zgłoszenie zbiornika bezodpływowego", "Wydanie karty dużej rodziny", "Podział nieruchomości",
    "Rozgraniczenie nieruchomości", "Zajęcie pasa drogowego", "Dofinansowanie wymiany źródła ciepła",
    "Wydanie zaświadczenia o prawie do głosowania", "Wpis do rejestru wyborców",
)

PETITION_SUBJECTS: tuple[str, ...] = (
    "budowy chodnika w miejscowości {village} ({street})",
    "budowy oświetlenia ulicznego w miejscowości {village}",
    "ograniczenia prędkości w miejscowości {village} ({street})",
    "montażu defibrylatorów AED w budynkach użyteczności publicznej",
    "przeprowadzenia audytu energetycznego budynków komunalnych",
    "zmiany rozkładu jazdy komunikacji publicznej",
    "utworzenia strefy płatnego parkowania w centrum",
    "remontu drogi dojazdowej do miejscowości {village}",
    "wprowadzenia bezpłatnej komunikacji dla seniorów",
    "nasadzenia drzew w miejscowości {village}",
    "publikowania nagrań z posiedzeń komisji",
    "budowy placu zabaw w miejscowości {village}",
)

COURTS: tuple[str, ...] = (
    "Zielonej Górze", "Gorzowie Wielkopolskim", "Żarach", "Żaganiu", "Nowej Soli", "Świebodzinie",
    "Krośnie Odrzańskim", "Międzyrzeczu", "Słubicach", "Strzelcach Krajeńskich", "Sulęcinie", "Wschowie",
)

NEW_STREET_NAMES: tuple[str, ...] = (
    "Słoneczna", "Jaśminowa", "Akacjowa", "Wrzosowa", "Sosnowa", "Malinowa", "Brzozowa", "Kasztanowa",
    "Różana", "Modrzewiowa", "Jarzębinowa", "Dębowa", "Winna", "Miodowa", "Bursztynowa", "Kalinowa",
)

# Budget classification (dział, rozdział, paragraf, name) used in budget tables.
BUDGET_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("600", "60016", "6050", "Drogi publiczne gminne – wydatki inwestycyjne"),
    ("801", "80101", "4210", "Szkoły podstawowe – zakup materiałów i wyposażenia"),
    ("852", "85214", "3110", "Zasiłki okresowe, celowe i pomoc w naturze"),
    ("900", "90015", "4260", "Oświetlenie ulic, placów i dróg – zakup energii"),
    ("921", "92109", "2480", "Domy i ośrodki kultury – dotacja podmiotowa"),
    ("750", "75023", "4300", "Urzędy gmin – zakup usług pozostałych"),
    ("754", "75412", "4170", "Ochotnicze straże pożarne – wynagrodzenia bezosobowe"),
    ("926", "92601", "6050", "Obiekty sportowe – wydatki inwestycyjne"),
    ("010", "01043", "6050", "Infrastruktura wodociągowa wsi – wydatki inwestycyjne"),
    ("700", "70005", "4300", "Gospodarka gruntami i nieruchomościami – zakup usług"),
    ("855", "85502", "3110", "Świadczenia rodzinne – świadczenia społeczne"),
    ("851", "85154", "4210", "Przeciwdziałanie alkoholizmowi – zakup materiałów"),
)

PUBLIC_TASK_AREAS: tuple[str, ...] = (
    "wspierania i upowszechniania kultury fizycznej", "kultury, sztuki, ochrony dóbr kultury i dziedzictwa narodowego",
    "pomocy społecznej", "ochrony i promocji zdrowia", "działalności na rzecz osób w wieku emerytalnym",
    "przeciwdziałania uzależnieniom i patologiom społecznym", "turystyki i krajoznawstwa",
    "ekologii i ochrony zwierząt", "działalności na rzecz dzieci i młodzieży",
)

SUPPLIES: tuple[str, ...] = (
    "dostawę artykułów biurowych", "dostawę środków czystości", "wykonanie przeglądów technicznych budynku",
    "dostawę artykułów spożywczych", "dostawę mebli do sal lekcyjnych", "wymianę stolarki okiennej",
    "malowanie pomieszczeń", "dostawę opału", "usługę transportową na wycieczki", "dostawę pomocy dydaktycznych",
)

CONTROLLERS: tuple[str, ...] = (
    "Regionalną Izbę Obrachunkową w Zielonej Górze", "Państwową Inspekcję Pracy – Okręgowy Inspektorat Pracy w Zielonej Górze",
    "Zakład Ubezpieczeń Społecznych", "Państwową Powiatową Inspekcję Sanitarną", "Komendę Powiatową Państwowej Straży Pożarnej",
    "organ prowadzący", "Lubuski Urząd Wojewódzki w Gorzowie Wielkopolskim",
)

COMMITTEES: tuple[str, ...] = (
    "Komisji Budżetu i Finansów", "Komisji Rewizyjnej", "Komisji Skarg, Wniosków i Petycji",
    "Komisji Oświaty, Kultury i Sportu", "Komisji Rolnictwa i Ochrony Środowiska", "Komisji Zdrowia i Spraw Społecznych",
)

NONCONFORMITIES: tuple[str, ...] = (
    "Część dokumentów opublikowanych przed 2020 r. to skany bez warstwy tekstowej.",
    "Niektóre załączniki w formacie PDF nie mają oznaczonej struktury nagłówków.",
    "Nagrania z sesji sprzed 2021 r. nie mają napisów dla osób niesłyszących.",
    "Część zdjęć nie ma tekstu alternatywnego.",
    "Niektóre tabele w starszych dokumentach nie mają oznaczonych nagłówków.",
    "Mapy w planach zagospodarowania przestrzennego nie mają opisu tekstowego.",
)
