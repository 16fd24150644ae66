"""Sentence templates for `bip demo`: subjects and paragraphs of each document type, in Polish.

Placeholders in braces are filled by bip.demo (e.g. {unit}, {village}, {year}); every template
must use only the names listed in `bip.demo.writing.Context`.
"""

from __future__ import annotations

MONTHS_GEN: tuple[str, ...] = (
    "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca",
    "lipca", "sierpnia", "września", "października", "listopada", "grudnia",
)

PATRONS: tuple[str, ...] = (
    "im. Jana Pawła II", "im. Marii Konopnickiej", "im. Tadeusza Kościuszki", "im. Janusza Korczaka",
    "im. Orła Białego", "im. Adama Mickiewicza", "im. Henryka Sienkiewicza", "im. Marii Skłodowskiej-Curie",
    "im. Polskich Olimpijczyków", "im. Kornela Makuszyńskiego", "im. Bohaterów Westerplatte", "im. Noblistów Polskich",
)

# Subjects of resolutions ("w sprawie …") of a council; {year}, {next_year}, {village}, {street_new}, {plot}.
UCHWALA_SUBJECTS: tuple[str, ...] = (
    "uchwalenia budżetu na {next_year} rok",
    "zmian w budżecie na {year} rok",
    "zmiany Wieloletniej Prognozy Finansowej",
    "określenia wysokości stawek podatku od nieruchomości na {next_year} rok",
    "obniżenia średniej ceny skupu żyta przyjmowanej jako podstawa obliczania podatku rolnego na {next_year} rok",
    "przyjęcia programu współpracy z organizacjami pozarządowymi na {next_year} rok",
    "nadania nazwy ulicy w miejscowości {village} (ul. {street_new})",
    "przystąpienia do sporządzenia miejscowego planu zagospodarowania przestrzennego dla obrębu {village}",
    "uchwalenia miejscowego planu zagospodarowania przestrzennego dla obrębu {village}",
    "zbycia nieruchomości gruntowej oznaczonej jako działka nr {plot}, obręb {village}",
    "wyrażenia zgody na zawarcie umowy dzierżawy na okres dłuższy niż 3 lata",
    "udzielenia pomocy finansowej na realizację zadania z zakresu dróg publicznych",
    "rozpatrzenia skargi na działalność kierownika jednostki organizacyjnej",
    "rozpatrzenia petycji dotyczącej budowy oświetlenia w miejscowości {village}",
    "przyjęcia programu opieki nad zwierzętami bezdomnymi na {next_year} rok",
    "przyjęcia programu profilaktyki i rozwiązywania problemów alkoholowych na {next_year} rok",
    "udzielenia absolutorium z tytułu wykonania budżetu za {prev_year} rok",
    "zatwierdzenia sprawozdania finansowego wraz ze sprawozdaniem z wykonania budżetu za {prev_year} rok",
    "regulaminu utrzymania czystości i porządku na terenie",
    "określenia wysokości opłaty za gospodarowanie odpadami komunalnymi",
    "zaciągnięcia długoterminowego kredytu na sfinansowanie planowanego deficytu budżetu",
    "planu pracy komisji rewizyjnej na {next_year} rok",
    "wyboru ławników na kadencję {year}–{year_plus4}",
    "ustalenia wynagrodzenia organu wykonawczego",
    "nadania statutu jednostce pomocniczej – sołectwu {village}",
    "określenia zasad udzielania dotacji celowej na wymianę źródeł ciepła",
)

UCHWALA_SUBJECTS_SCHOOL: tuple[str, ...] = (
    "zatwierdzenia wyników klasyfikacji i promocji uczniów w roku szkolnym {year}/{next_year}",
    "przyjęcia planu pracy szkoły na rok szkolny {year}/{next_year}",
    "zaopiniowania arkusza organizacji szkoły na rok szkolny {year}/{next_year}",
    "wprowadzenia zmian w statucie szkoły",
    "przyjęcia programu wychowawczo-profilaktycznego",
    "zaopiniowania propozycji przydziału zajęć dodatkowych",
    "ustalenia szkolnego zestawu programów nauczania",
)

LEGAL_BASIS: dict[str, str] = {
    "gmina": "art. 18 ust. 2 pkt {art} ustawy z dnia 8 marca 1990 r. o samorządzie gminnym (Dz. U. z {law_year} r. poz. {law_pos})",
    "powiat": "art. 12 pkt {art} ustawy z dnia 5 czerwca 1998 r. o samorządzie powiatowym (Dz. U. z {law_year} r. poz. {law_pos})",
    "wojewodztwo": "art. 18 pkt {art} ustawy z dnia 5 czerwca 1998 r. o samorządzie województwa (Dz. U. z {law_year} r. poz. {law_pos})",
    "jednostka": "art. 70 ust. 1 pkt {art} ustawy z dnia 14 grudnia 2016 r. – Prawo oświatowe (Dz. U. z {law_year} r. poz. {law_pos})",
}

UCHWALA_PARAGRAPHS: tuple[str, ...] = (
    "Ustala się zasady i tryb określone w załączniku do niniejszej uchwały.",
    "Przyjmuje się dokument w brzmieniu stanowiącym załącznik do uchwały.",
    "Traci moc dotychczasowa uchwała w tej sprawie wraz z późniejszymi zmianami.",
    "Zadanie zostanie sfinansowane ze środków własnych oraz z dofinansowania ze środków zewnętrznych.",
    "Obowiązek ogłoszenia uchwały w sposób zwyczajowo przyjęty spoczywa na organie wykonawczym.",
    "Szczegółowe rozwiązania określa załącznik nr 1 do uchwały.",
    "Uzasadnienie do uchwały stanowi jej integralną część.",
)

ZARZADZENIE_SUBJECTS: tuple[str, ...] = (
    "powołania komisji przetargowej do przeprowadzenia postępowania {reference}",
    "zmian w budżecie na {year} rok",
    "zmian w planie finansowym na {year} rok",
    "ustalenia dnia wolnego od pracy w zamian za święto przypadające w sobotę",
    "przeprowadzenia inwentaryzacji składników majątku według stanu na 31 grudnia {year} r.",
    "wprowadzenia regulaminu pracy",
    "ogłoszenia otwartego konkursu ofert na realizację zadań publicznych w zakresie {area} w {next_year} roku",
    "rozstrzygnięcia otwartego konkursu ofert na realizację zadań publicznych w zakresie {area}",
    "powołania komisji konkursowej do zaopiniowania ofert",
    "przyjęcia instrukcji kancelaryjnej",
    "ogłoszenia wykazu nieruchomości przeznaczonych do oddania w dzierżawę ({village})",
    "przeprowadzenia konsultacji społecznych projektu dokumentu strategicznego",
    "wprowadzenia regulaminu udzielania zamówień publicznych o wartości mniejszej niż 130 000 zł",
    "powołania zespołu do spraw bezpieczeństwa informacji",
    "przedstawienia informacji o przebiegu wykonania budżetu za I półrocze {year} roku",
    "ustalenia wysokości stawek za wynajem pomieszczeń w świetlicy w miejscowości {village}",
)

ZARZADZENIE_SUBJECTS_UNIT: tuple[str, ...] = (
    "wprowadzenia regulaminu wynagradzania pracowników",
    "ustalenia regulaminu zakładowego funduszu świadczeń socjalnych",
    "przeprowadzenia inwentaryzacji według stanu na 31 grudnia {year} r.",
    "powołania komisji socjalnej",
    "wprowadzenia procedury przyjmowania zgłoszeń wewnętrznych",
    "wprowadzenia polityki ochrony danych osobowych",
    "ustalenia planu finansowego na {year} rok",
    "wprowadzenia regulaminu udzielania zamówień o wartości mniejszej niż 130 000 zł",
    "ustalenia dni wolnych od pracy w {year} roku",
)

ZARZADZENIE_PARAGRAPHS: tuple[str, ...] = (
    "Wykonanie zarządzenia powierza się kierownikom komórek organizacyjnych.",
    "Zarządzenie podlega ogłoszeniu na tablicy ogłoszeń oraz w Biuletynie Informacji Publicznej.",
    "Nadzór nad wykonaniem zarządzenia sprawuje sekretarz.",
    "Komisja rozpocznie pracę z dniem wejścia w życie zarządzenia.",
    "Traci moc dotychczasowe zarządzenie w tej sprawie.",
    "Szczegółowy wykaz stanowi załącznik do zarządzenia.",
)

PROCEDURES: tuple[str, ...] = (
    "tryb podstawowy bez negocjacji", "tryb podstawowy z możliwością negocjacji", "przetarg nieograniczony",
    "zapytanie ofertowe", "zamówienie z wolnej ręki",
)

ZAMOWIENIE_SENTENCES: tuple[str, ...] = (
    "Przedmiotem zamówienia jest wykonanie robót zgodnie z dokumentacją projektową i specyfikacją techniczną.",
    "Zamawiający nie dopuszcza składania ofert częściowych.",
    "Zamawiający wymaga udzielenia co najmniej 36-miesięcznej gwarancji jakości.",
    "Termin realizacji zamówienia: do {done_date}.",
    "Kryteria oceny ofert: cena – 60%, okres gwarancji – 40%.",
    "Wykonawca zobowiązany jest do wniesienia wadium w wysokości {wadium} zł przed upływem terminu składania ofert.",
    "Zamawiający przewiduje udzielenie zamówień, o których mowa w art. 214 ust. 1 pkt 7 ustawy Prawo zamówień publicznych.",
    "Szczegółowy opis przedmiotu zamówienia zawiera załącznik nr 1 do specyfikacji warunków zamówienia.",
    "Zamówienie jest współfinansowane ze środków Rządowego Funduszu Polski Ład.",
    "Oferty należy składać wyłącznie w postaci elektronicznej, opatrzone kwalifikowanym podpisem elektronicznym.",
)

NABOR_REQUIRED: tuple[str, ...] = (
    "obywatelstwo polskie",
    "pełna zdolność do czynności prawnych oraz korzystanie z pełni praw publicznych",
    "niekaralność za umyślne przestępstwo ścigane z oskarżenia publicznego lub umyślne przestępstwo skarbowe",
    "nieposzlakowana opinia",
    "wykształcenie wyższe administracyjne, ekonomiczne lub prawnicze",
    "co najmniej 2-letni staż pracy",
    "stan zdrowia pozwalający na zatrudnienie na stanowisku",
)

NABOR_EXTRA: tuple[str, ...] = (
    "znajomość przepisów ustawy o samorządzie gminnym i Kodeksu postępowania administracyjnego",
    "umiejętność obsługi komputera (edytor tekstu, arkusz kalkulacyjny, poczta elektroniczna)",
    "doświadczenie w pracy w administracji samorządowej",
    "prawo jazdy kat. B",
    "komunikatywność, samodzielność i dobra organizacja pracy",
    "znajomość przepisów ustawy Prawo zamówień publicznych",
    "umiejętność pracy w zespole",
)

NABOR_TASKS: tuple[str, ...] = (
    "prowadzenie postępowań administracyjnych i przygotowywanie projektów decyzji",
    "przygotowywanie projektów uchwał i zarządzeń",
    "prowadzenie rejestrów i ewidencji",
    "obsługa interesantów i udzielanie informacji",
    "sporządzanie sprawozdań i analiz",
    "współpraca z jednostkami organizacyjnymi i instytucjami zewnętrznymi",
    "prowadzenie korespondencji i archiwizacja dokumentów",
    "przygotowywanie dokumentacji postępowań o udzielenie zamówień publicznych",
)

NABOR_DOCUMENTS: tuple[str, ...] = (
    "list motywacyjny i życiorys (CV)",
    "kwestionariusz osobowy dla osoby ubiegającej się o zatrudnienie",
    "kopie dokumentów potwierdzających wykształcenie i staż pracy",
    "oświadczenie o niekaralności i korzystaniu z pełni praw publicznych",
    "oświadczenie o wyrażeniu zgody na przetwarzanie danych osobowych",
)

OGLOSZENIA: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Ogłoszenie o przetargu ustnym nieograniczonym na sprzedaż działki nr {plot} w miejscowości {village}",
        (
            "{head_title} ogłasza pierwszy przetarg ustny nieograniczony na sprzedaż nieruchomości niezabudowanej, oznaczonej w ewidencji gruntów jako działka nr {plot}, obręb {village}, o powierzchni {area_ha} ha.",
            "Cena wywoławcza nieruchomości wynosi {price} zł brutto. Wadium w wysokości 10% ceny wywoławczej należy wpłacić do dnia {deadline_text}.",
            "Przetarg odbędzie się {event_text} o godz. 10:00 w sali narad, {address_line}.",
        ),
    ),
    (
        "Obwieszczenie o wyłożeniu do publicznego wglądu projektu planu miejscowego dla obrębu {village}",
        (
            "Zawiadamia się o wyłożeniu projektu miejscowego planu zagospodarowania przestrzennego wraz z prognozą oddziaływania na środowisko w dniach od {date_text} do {deadline_text}.",
            "Dyskusja publiczna nad przyjętymi w projekcie planu rozwiązaniami odbędzie się {event_text} o godz. 16:00.",
            "Uwagi do projektu planu można wnosić na piśmie lub za pomocą środków komunikacji elektronicznej, w tym na adres skrytki ePUAP.",
        ),
    ),
    (
        "Komunikat w sprawie zbiórki odpadów wielkogabarytowych w {year} roku",
        (
            "Informujemy, że zbiórka odpadów wielkogabarytowych i zużytego sprzętu elektrycznego odbędzie się zgodnie z harmonogramem zamieszczonym poniżej.",
            "Odpady należy wystawić przed posesję do godz. 7:00 w dniu odbioru.",
            "Odbiorowi nie podlegają odpady budowlane, opony z pojazdów ciężarowych ani odpady niebezpieczne.",
        ),
    ),
    (
        "Informacja o wywieszeniu wykazu nieruchomości przeznaczonych do dzierżawy",
        (
            "Na tablicy ogłoszeń na okres 21 dni wywieszono wykaz nieruchomości przeznaczonych do oddania w dzierżawę, położonych w obrębie {village}.",
            "Szczegółowe informacje można uzyskać w pokoju nr {room} lub pod numerem telefonu {phone}.",
        ),
    ),
    (
        "Otwarty konkurs ofert na realizację zadań publicznych w zakresie {area} w {next_year} roku",
        (
            "Zaprasza się organizacje pozarządowe oraz podmioty wymienione w art. 3 ust. 3 ustawy o działalności pożytku publicznego i o wolontariacie do składania ofert.",
            "Na realizację zadań przeznacza się kwotę {price} zł.",
            "Oferty należy składać do dnia {deadline_text} w generatorze ofert lub w sekretariacie.",
        ),
    ),
    (
        "Konsultacje społeczne projektu programu współpracy z organizacjami pozarządowymi na {next_year} rok",
        (
            "Zapraszamy mieszkańców i organizacje pozarządowe do udziału w konsultacjach społecznych.",
            "Opinie i uwagi można zgłaszać na formularzu stanowiącym załącznik do ogłoszenia w terminie do {deadline_text}.",
        ),
    ),
    (
        "Zawiadomienie o sesji – {event_text}",
        (
            "Uprzejmie zawiadamiam, że sesja odbędzie się {event_text} o godz. 10:00 w sali narad, {address_line}.",
            "Obrady są transmitowane i utrwalane za pomocą urządzeń rejestrujących obraz i dźwięk.",
        ),
    ),
    (
        "Nabór wniosków o dofinansowanie wymiany źródeł ciepła w {year} roku",
        (
            "Informujemy o naborze wniosków o udzielenie dotacji celowej na wymianę nieekologicznych źródeł ciepła.",
            "Wnioski przyjmowane są do dnia {deadline_text} lub do wyczerpania środków.",
            "Wysokość dotacji wynosi do {price} zł na jedno gospodarstwo domowe.",
        ),
    ),
    (
        "Ostrzeżenie o utrudnieniach w ruchu w miejscowości {village}",
        (
            "W związku z realizacją inwestycji na {street} w miejscowości {village} w dniach od {date_text} do {deadline_text} wystąpią utrudnienia w ruchu.",
            "Prosimy kierowców o zachowanie szczególnej ostrożności i stosowanie się do oznakowania tymczasowego.",
        ),
    ),
)

OGLOSZENIA_UNIT: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Zapytanie ofertowe na {supply}",
        (
            "{unit} zaprasza do złożenia oferty cenowej na {supply}.",
            "Oferty należy przesłać na adres e-mail {email} do dnia {deadline_text}.",
            "Zamówienie nie podlega przepisom ustawy Prawo zamówień publicznych ze względu na wartość.",
        ),
    ),
    (
        "Informacja o wynikach kontroli przeprowadzonej przez {controller}",
        (
            "W dniach od {date_text} do {deadline_text} przeprowadzono kontrolę w zakresie gospodarki finansowej i przestrzegania procedur wewnętrznych.",
            "Wystąpienie pokontrolne oraz informacja o sposobie realizacji zaleceń stanowią załącznik do niniejszej informacji.",
        ),
    ),
    (
        "Komunikat dyrektora w sprawie organizacji pracy w okresie ferii zimowych {year}",
        (
            "Informujemy, że w okresie ferii zimowych sekretariat czynny jest w godzinach 8:00–14:00.",
            "W sprawach pilnych prosimy o kontakt pod numerem telefonu {phone}.",
        ),
    ),
)

PETITION_PARAGRAPHS: tuple[str, ...] = (
    "Wnoszący petycję wskazuje, że obecny stan stwarza zagrożenie dla bezpieczeństwa mieszkańców, w szczególności dzieci w drodze do szkoły.",
    "Do petycji dołączono listę z podpisami mieszkańców popierających postulat.",
    "Petycja została złożona w interesie publicznym na podstawie ustawy z dnia 11 lipca 2014 r. o petycjach.",
    "Wnoszący wyraził zgodę na ujawnienie swoich danych na stronie internetowej podmiotu rozpatrującego petycję.",
)

PETITION_ANSWERS: tuple[str, ...] = (
    "Po przeanalizowaniu petycji oraz opinii właściwej komisji uznano petycję za zasadną. Zadanie zostanie ujęte w projekcie budżetu na {next_year} rok.",
    "Po rozpatrzeniu petycji uznano ją za niezasadną ze względu na brak środków finansowych oraz brak tytułu prawnego do nieruchomości.",
    "Petycja została przekazana według właściwości do zarządcy drogi, o czym poinformowano wnoszącego.",
)

PETITIONERS: tuple[str, ...] = (
    "Stowarzyszenie Mieszkańców Miejscowości {village}", "Rada Sołecka Sołectwa {village}",
    "osoba fizyczna (bez zgody na ujawnienie danych)", "Fundacja Rozwoju Lokalnego „{village}”",
    "grupa mieszkańców miejscowości {village}",
)

NEWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Harmonogram odbioru odpadów komunalnych na {year} rok",
        (
            "Przedstawiamy harmonogram odbioru odpadów komunalnych z nieruchomości zamieszkałych na {year} rok.",
            "Odpady należy wystawiać w dniu odbioru do godz. 6:00.",
        ),
    ),
    (
        "Wyniki konsultacji społecznych – {subject_short}",
        (
            "Informujemy, że zakończyły się konsultacje społeczne. W wyznaczonym terminie wpłynęło {count} uwag.",
            "Zestawienie uwag wraz ze sposobem ich rozpatrzenia zamieszczono poniżej.",
        ),
    ),
    (
        "Zakończono inwestycję: {tender_subject}",
        (
            "Zakończyła się realizacja zadania pn. „{tender_subject}”. Wartość robót wyniosła {price} zł.",
            "Inwestycja została dofinansowana ze środków zewnętrznych w wysokości {percent}% kosztów kwalifikowanych.",
        ),
    ),
    (
        "Dyżury w okresie świątecznym {year}",
        (
            "Informujemy, że w dniu 24 grudnia {year} r. urząd będzie nieczynny. Dzień wolny wyznaczono za święto przypadające w sobotę.",
            "Za utrudnienia przepraszamy.",
        ),
    ),
    (
        "Spis rolny i narodowy – punkt informacyjny",
        (
            "W budynku urzędu działa punkt, w którym mieszkańcy mogą uzyskać pomoc w wypełnieniu formularza.",
            "Punkt jest czynny w godzinach pracy urzędu.",
        ),
    ),
)

NEWS_UNIT: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Rekrutacja na rok szkolny {year}/{next_year}",
        (
            "Informujemy o zasadach i terminach postępowania rekrutacyjnego na rok szkolny {year}/{next_year}.",
            "Wnioski przyjmowane są w sekretariacie do dnia {deadline_text}.",
        ),
    ),
    (
        "Ferie zimowe {year} – zajęcia dla dzieci",
        (
            "Zapraszamy dzieci i młodzież na zajęcia w czasie ferii zimowych. Udział jest bezpłatny.",
            "Zapisy przyjmujemy osobiście lub telefonicznie pod numerem {phone}.",
        ),
    ),
    (
        "Nowe godziny otwarcia od {date_text}",
        (
            "Uprzejmie informujemy, że od {date_text} zmieniają się godziny otwarcia.",
            "Aktualne godziny pracy zamieszczono w dziale z danymi kontaktowymi.",
        ),
    ),
)

GENERIC_SENTENCES: tuple[str, ...] = (
    "Informacje w tej sprawie udziela {department}, pokój nr {room}, tel. {phone}.",
    "Dokumenty można złożyć osobiście w kancelarii, pocztą tradycyjną lub przez elektroniczną skrzynkę podawczą ePUAP.",
    "Wszelkie zmiany będą publikowane w Biuletynie Informacji Publicznej.",
    "Zachęcamy mieszkańców do zapoznania się z treścią dokumentu.",
    "Szczegółowe informacje zawiera załącznik zamieszczony poniżej.",
    "Dokument udostępniono zgodnie z ustawą z dnia 6 września 2001 r. o dostępie do informacji publicznej.",
    "Sprawę prowadzi {department}.",
)

SERVICE_DOCS: tuple[str, ...] = (
    "wniosek (formularz do pobrania poniżej lub w kancelarii)",
    "dokument tożsamości do wglądu",
    "pełnomocnictwo – jeśli sprawę załatwia pełnomocnik",
    "dowód uiszczenia opłaty skarbowej",
    "mapa lub szkic sytuacyjny – jeśli dotyczy",
)

# Strona pages of the "about the office" section: (title, kind of body).
ABOUT_PAGES_JST: tuple[tuple[str, str], ...] = (
    ("Struktura organizacyjna", "structure"),
    ("Godziny pracy", "hours"),
    ("Dane kontaktowe", "contact"),
    ("Statut", "statute"),
    ("Regulamin organizacyjny", "statute"),
    ("Skład rady", "council"),
    ("Kierownictwo", "officials"),
    ("Jednostki organizacyjne", "units"),
    ("Rejestr instytucji kultury", "statute"),
    ("Ochrona danych osobowych", "rodo"),
    ("Elektroniczna skrzynka podawcza", "epuap"),
)

ABOUT_PAGES_UNIT: tuple[tuple[str, str], ...] = (
    ("Dane kontaktowe", "contact"),
    ("Godziny otwarcia", "hours"),
    ("Statut", "statute"),
    ("Dyrekcja i pracownicy", "officials"),
    ("Ochrona danych osobowych", "rodo"),
    ("Regulamin organizacyjny", "statute"),
    ("Elektroniczna skrzynka podawcza", "epuap"),
)

RODO_SENTENCES: tuple[str, ...] = (
    "Administratorem danych osobowych jest {head_title}, {address_line}.",
    "Kontakt z inspektorem ochrony danych jest możliwy pod adresem e-mail iod@{domain}.",
    "Dane osobowe przetwarzane są w celu wypełnienia obowiązków prawnych ciążących na administratorze.",
    "Przysługuje Pani/Panu prawo wniesienia skargi do Prezesa Urzędu Ochrony Danych Osobowych.",
)

AGENDA: tuple[str, ...] = (
    "Otwarcie sesji i stwierdzenie prawomocności obrad.",
    "Przyjęcie porządku obrad.",
    "Przyjęcie protokołu z poprzedniej sesji.",
    "Sprawozdanie z działalności w okresie między sesjami.",
    "Podjęcie uchwał.",
    "Interpelacje i zapytania radnych.",
    "Wolne wnioski i informacje.",
    "Zamknięcie sesji.",
)

CONTROL_FINDINGS: tuple[str, ...] = (
    "Nie stwierdzono nieprawidłowości.",
    "Stwierdzono uchybienia o charakterze formalnym, które usunięto w toku kontroli.",
    "Wydano zalecenia pokontrolne; termin ich realizacji upływa z końcem kwartału.",
)

EDIT_NOTES: tuple[str, ...] = (
    "Aktualizacja: zmieniono numer telefonu do osoby prowadzącej sprawę.",
    "Uzupełniono informację o sposobie składania dokumentów.",
    "Poprawiono omyłkę pisarską w treści.",
    "Dodano informację o terminie odbioru dokumentów.",
    "Sprostowanie: prawidłowy termin to {date_text}.",
)
