"""Word lists for person-name scrubbing (used with, or instead of, the pipeline's NER).

`FIRST_NAMES` are matched in any case ("mamma og kari"); `AMBIGUOUS_FIRST_NAMES` are also
ordinary words (per, liv, dag, hans, tor, …) and count only when capitalised and not first in
a sentence, or right after a name cue («heter») or a title. `SURNAMES` extend a first name
("Kari Nordmann") and count alone when capitalised and not first in a sentence;
`AMBIGUOUS_SURNAMES` (berg, strand, lund, hagen, …) count only after a first name or a title.
`KEEP_WORDS` are never part of a name: relation words, pronouns, services, days and months.
"""

from __future__ import annotations


def _words(text: str) -> frozenset:
    return frozenset(text.split())


FIRST_NAMES = _words("""
kari ingrid anne astrid aud bente berit bjørg borghild camilla cecilie ellen elisabeth eva
gerd grete gunn gunvor guro hege heidi helene hilde ida inger irene janne jorunn karin
kirsti kjersti kristin laila lene linda lise marianne marit monica monika nina ragnhild
randi rita ruth rut sigrid silje solveig sonja stine synnøve torill tove trine turid unni
vigdis wenche hanne ragna marte maren kristine ingeborg tuva mia nora emma sara sofie sofia
thea tiril hedda maja aurora alma selma frida olivia leah hannah hanna julie amalie oda
victoria vilde mathilde andrea elise eline mari marie ronja kaja malin tonje siri sunniva
linn elin eli agnes oddny reidun bodil britt brit gunhild haldis jenny josefine karoline
kathrine katrine lisbeth magnhild margrethe margit maria mona oline petra ranveig rigmor
ingvild ingunn kristiane lillian liss åshild anette annette anniken benedicte christine
emilie charlotte ingerid johanne marthe martine tordis torunn vibeke yvonne henriette
signe sissel solfrid svanhild tonje vanja vilma ylva agnete aslaug dagny edel edith inge
ola kari knut nils olav ole lars jon jan erik arne svein geir rolf leif trond morten terje
magne eirik stian jonas emil henrik martin thomas andreas kristian anders petter espen
harald ivar elias noah oliver william lucas lukas filip aksel jakob oskar isak johannes
kasper liam theodor mathias sebastian tobias adrian kristoffer sondre vetle sindre nils
arild egil gunnar halvor helge jørgen kåre lasse ludvig ove reidar rune sverre tommy
trygve vidar øystein åge arvid bjarne einar frode glenn gustav hallvard john kjetil
kenneth ketil magnar pål ragnar roger roy ståle steinar thor tore torbjørn vegard vemund
olaf marius magnus sigurd sigve halvard håkon haakon jens alf ulf ingvar ingolf asbjørn
audun bård baard birger brede carl karl christian christoffer daniel david eivind endre
erlend fredrik georg gisle gjermund gudmund hallgeir hans-petter harry herman håvard
idar jarle joakim jostein kjell kristen leon mads markus mikkel nikolai njål oddvar
paul peder preben rasmus robert runar simen simon snorre stefan steffen sturla sveinung
teodor tord torgeir torstein trym ulrik vebjørn viktor yngve øivind øyvind åsmund
mohammed muhammad mohamed mohammad ahmed ali fatima aisha omar hassan hussein yusuf amina
maryam zainab abdi abdullah ibrahim mustafa khadija leila layla yasmin noor samira
piotr jakub tomasz krzysztof agnieszka katarzyna anna olga ivan natalia oksana tatiana
""")

AMBIGUOUS_FIRST_NAMES = _words("""
per liv dag hans tor vår sol stein bjørn odd gro mai tone vera live ella even mette ask
storm finn line ane else jo bo are kai rose siv frank bent tom lin sander åse eli mats
vilja hege ruth rut kim rune
""")

SURNAMES = _words("""
nordmann hansen johansen olsen larsen andersen pedersen nilsen kristiansen jensen karlsen
johnsen pettersen eriksen johannessen andreassen jacobsen jakobsen jørgensen halvorsen
henriksen sørensen gundersen iversen solberg svendsen knutsen martinsen paulsen
kristoffersen mathisen amundsen rasmussen solheim nygård fredriksen christensen andresen
nielsen knudsen evensen sæther myhre hanssen haugland thomassen sivertsen simonsen
danielsen berntsen sandvik rønning arnesen antonsen næss ellingsen thorsen edvardsen
birkeland isaksen gulbrandsen ruud aasen myklebust ødegård eliassen helland jenssen
mikkelsen tveit brekke abrahamsen madsen nguyen tran khan hussain ahmed hassan mohammed
ali kowalski nowak wiśniewski jansen ottesen hovland torgersen sandberg ødegaard
knutsen nordby rød hauge jahnsen lorentzen wold fjeld bjerke kvam sletten
""")

AMBIGUOUS_SURNAMES = _words("""
berg strand lund vik hagen bakken strøm haug bakke holm dahl lie moe moen eide berge lien
haugen aas tangen dal lunde vik aune bøe engen foss lia nes skog sand
""")

KEEP_WORDS = _words("""
mamma mammaen pappa pappaen mor moren mora mora far faren bror broren broderen søster søsteren
søstera farmor mormor farfar morfar bestemor bestefar besteforeldre onkel onkelen tante tanta
tanten mann mannen kone kona konen samboer samboeren kjæreste kjæresten sønn sønnen datter
dattera datteren barn barna barnet ungen ungene venn vennen venninne venninna nabo naboen
svigermor svigerfar oldemor oldefar fetter kusine nevø niese ektefelle partner gutten jenta
jeg du han hun ho hen vi dere de dem meg deg seg oss eg me dei honom henne ham hennes hans
hei hallo heisann takk
det den dette denne og men eller som at i på til fra med for om av er var har hadde blir
ble kan vil skal må ikke ikkje nå så da når hvor hva hvem hvorfor hvordan kva kven korleis
ja nei hei hallo takk ok okei bare også selv sjøl litt mye mange noen ingen alle
mandag tirsdag onsdag torsdag fredag lørdag søndag januar februar mars april juni juli
august september oktober november desember jul påske nav helfo helsenorge gud herregud
doktor lege legen fastlege fastlegen sykepleier sykepleieren psykolog psykologen
kommunen kommune sykehus sykehuset sykehjem sykehjemmet hjemmesykepleien barnevernet
norge oslo bergen trondheim stavanger tromsø
d-nummer d-nr fnr fødselsnummer fødselsnr personnummer personnr nummer telefon tlf mobil
mail e-post epost adresse adressa postboks diagnose diagnosen alzheimer parkinson als kols
demens kreft ms adhd autisme covid korona
""")
