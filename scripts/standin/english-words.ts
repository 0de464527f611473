/**
 * General English words for the generated WordPiece vocabulary, beyond the
 * tiny model's list (make-test-model.ts): numbers, irregular verb forms,
 * common verbs, nouns, adjectives and adverbs, and general academic and
 * computing words. Written as a general list, not taken from any benchmark
 * text. Nouns and verbs also get their plural, -ing and -ed forms.
 */

/** Nouns and verbs: inflected by the caller. */
export const INFLECTED_WORDS = `
accept access account achieve acquire act adapt add address adjust admit adopt advance advise affect afford agree aim
alert allocate alter analyse announce anticipate appeal appear apply appoint appreciate approach approve argue arise
arrange arrive assess assign assist assume attach attempt attend attract avoid award balance ban base bear beat become
benefit bind block blow boost borrow bother bound break breathe bring broadcast browse brush burn burst bury calculate
cancel capture cast catch cause cease challenge change charge chase check cite claim clarify classify clear climb cling
collapse collect combine comment commit communicate complain complete comply compose comprise concentrate concern
conclude conduct confirm conflict confront confuse consider consist constitute construct consult consume contain
continue contrast contribute convert convey convince cope copy correct correspond count cover crash crawl cross crush cry
cultivate cure cut damage deal debate declare decline decorate defeat defend define delay deliver demand demonstrate deny
depart depend deposit derive deserve desire destroy detect determine devote dig direct discover display distinguish
distribute divide dominate double doubt drag draw dream dress drift drive earn ease edit elect eliminate embrace emerge
emphasize employ enable encounter encourage end endure enforce engage enhance enjoy ensure enter entertain equip escape
establish evaluate evolve examine exceed exchange exclude excuse execute exhibit exist expand expect experience explode
explore export expose express extend extract face fail fascinate fasten favour fear feed fetch fill film finance fire
fit fix flash float flood fold follow forbid forecast forget forgive formulate found frame freeze fulfil fund gain gather
generate glance glow govern grab grant greet grind guarantee guard guess guide handle hang happen harm head hear heat
highlight hire host hunt hurry hurt identify ignore illustrate imagine impact implement imply impose impress include
incorporate indicate influence inform inherit inhibit initiate injure insert insist inspect inspire install instruct
integrate intend interact interpret interrupt introduce invent invest investigate invite involve isolate issue join judge
jump justify keep kick kill knock label lack land last launch lay lead lean leave lend let lie lift limit link list live
locate lock look maintain manufacture mark marry master match matter maximize mean meet mention merge migrate minimize
mix modify monitor motivate mount multiply name negotiate nod note notice obey object observe obtain occupy occur offer
operate oppose order originate overcome owe own pack paint participate pass pause perceive perform permit persuade pick
place plant please point pose possess post pour practise praise pray predict prepare preserve press pretend print
proceed process produce program progress project promise promote prompt pronounce prove provide publish pump punish
purchase pursue qualify question race raise range rank reach react realize recall receive reckon recognize record recover
recruit reflect reform refuse regard register regret regulate reinforce relate relax release rely remain remark remove
render rent repair repeat replace reply represent reproduce request rescue research reserve reside resign resist resolve
resort respect respond rest restore restrict retain retire return reveal reverse revise reward ride ring rise rob roll
rotate rule rush satisfy say scan score scratch seal secure seek seem seize sense separate serve settle shake shape shift
shine shoot shout shrink shut sign signal sink sit sketch slide slip smile solve sort sound span speak specify spell spin
split spread squeeze stand stare state stay steal stick stimulate stir store strike strip struggle study submit succeed
suffer suit supply suppose surround survey survive suspect sustain swing switch tackle talk target tear tend terminate
thank threaten throw tie tolerate touch trace track trade transfer transform translate transmit transport trap travel
treat trigger trust twist undergo undertake unite urge utilize vary view visit wait wake wander warn wash waste wear weigh
welcome wind withdraw witness wonder worry wrap yield
ability absence abstract academy accident accuracy acid activity actor adult advantage adventure advice affair afternoon
agency agent aid alarm album alcohol alternative ambition amount analyst anger angle anniversary anxiety apartment
appearance appetite application appointment approval architecture archive argument arrangement arrival article artist
aspect assessment assignment assistance assistant association assumption atmosphere attitude audience authority
awareness background bag band bar basis basket bath battle beach bed bedroom beer behaviour belief bell belt bench bill
bird birth bit blade blanket boat bomb bond bonus boot border bottle bottom bowl box brain branch brand breath brick bride
brother bucket burden button cabinet cable cake camera camp campaign candidate cap capacity capital captain card career
carpet cash cast category ceiling celebration chain chair chairman champion championship channel chapter character
charity chart chest chief choice church cigarette circumstance citizen civilian claim climate clock clothes club coach
coast coat collection colleague column combination comfort command commission commitment committee communication
comparison competition complaint component concept conclusion concert condition conference confidence connection
consequence constitution consumer contact content context contribution convention conversation cook corner corporation
corridor council counter country county courage crew criminal crisis criterion critic criticism crop crowd cry cup
curriculum cycle damage danger daughter dealer debate decade deficit definition degree demand democracy department
departure deposit description desk destination detail device dialogue diet difference dimension dinner direction
disaster discipline discount discovery discussion dish display dispute distinction district division divorce domain
draft drama drawer dream duty economist edition editor efficiency element elephant emergency emotion emphasis empire
employment encounter enemy engagement enterprise entrance entry environment episode equipment era essay estate estimate
ethics evening examination exception exhibition existence exit expansion expectation expenditure expert explanation
expression extension extent facility factory faith fashion fault fear feedback feeling fellow festival fiction finding
finger fishing flag flat flavour flight floor focus folk fortune foundation fragment framework freedom frequency
friendship front fund funeral furniture gallery gap garage gate gender generation gift glass glove grain grant
grandfather grandmother guarantee guest guidance guideline gun habit hall handful harbour harm harvest headline
headquarters hearing heaven height helicopter hero highlight highway hole holiday honour hook horizon horror host hotel
household housing human humour hunger husband ice identity illustration implication impression incident inch
independence indication infrastructure initiative injury inquiry insight inspection inspector instance institution
instruction instrument intelligence intention interaction interpretation intervention introduction invasion
investigation invitation island item jacket journal journey judgement juice junior jury justice keyboard killer kingdom
knee knife knowledge labour laboratory lady landscape lane launch lawyer league lecture leg legislation lesson letter
liability licence lid limitation link lip literature loan lock logic look lord loss luck machine magazine majority
manner manufacturer map margin marriage master match meal meaning measurement mechanism medium membership memorial
mention menu merchant mess metal midnight milk mill mind mine minister minority mirror mission mistake mixture mode
monitor mood motion mouth movement murder muscle mystery narrative native nature neck negotiation neighbour nerve nest
net newspaper nightmare noise nomination note notion novel obligation observation occasion offence offer officer
operation opinion opponent opportunity opposition organ origin outcome output owner pack pain pair palace panel parade
parish partner partnership passage passenger path pattern pause payment peak peer penalty pension percentage perception
period permission personality perspective phase philosophy photograph phrase physician pile pilot pin pitch platform
pleasure plot pocket poet poetry pole pool portion portrait possibility post pot potential pound poverty preference
pregnancy premium preparation presence presentation preservation pressure prince princess principal principle priority
prisoner privacy prize procedure proceeding profession professor profile programme promise proof property proportion
proposal prospect protection protein protest province provision pub publication publicity punishment purpose quality
quantity queen quote race radio rail rain range ranking reaction reader reality receipt reception recession recipe
recognition recommendation recovery reduction reference reform refugee regime region regulation relation relative
relief religion remedy rent repair replacement representative republic reputation requirement reserve resident
resistance resolution resort resource respect responsibility restaurant restriction retirement revenue revolution
reward rhythm ride ring rise ritual rival roof root rope round route routine row rule rush sail salt sample satisfaction
scale scandal scenario scene schedule scheme scholar scope score screen script sea seat secret secretary sector
selection self seminar sequence series servant session settlement shadow shame shape shareholder sheet shelf shelter
shift shirt shock shoe shop shot shoulder shower sight silence silver sister skill slave sleep slice slope smoke soldier
solution son soul speaker specialist specimen spectrum speech spending spirit sponsor spot spouse staff stage stake
standard statement station statue status steam stem stick stomach storm strategy strength stress stretch strike string
strip struggle studio stuff style subject substance suburb success suggestion suit sum summit supermarket supplier
surgeon surprise survey survival suspect sweet symbol sympathy tank tape target taste teaching tear technique teenager
telephone television temple tendency tennis tension term territory testimony theatre theme therapy thesis threat
threshold throat ticket tide tile timber title toilet tone tongue tool tooth topic total touch tour tourist tournament
towel track tradition traffic tragedy trail transaction transition translation trap travel treasure treatment trend
trial tribe trick trip trouble truck trust truth tube tune tunnel turn twin uncle union unit universe valley van variety
vehicle venture venue verdict version vessel veteran victim victory video village violence vision visit visitor volunteer
vote wage walk wall war warning wave wealth weapon weather wedding weekend welfare wheel whip whisper wife wildlife
window wine wing winner wire witness wonder wood wool workshop worker wound yard youth zone
`;

/** Words kept as they are. */
export const PLAIN_WORDS = `
one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen
nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion first second
third fourth fifth sixth seventh eighth ninth tenth last next half double triple single zero once twice thrice
was were been had did done said made found given shown taken seen known gone came become became began begun brought
built bought caught chose chosen drew drawn drove driven ate eaten fell fallen felt fought flew flown forgot forgotten
got gotten grew grown held hid hidden kept knew laid led left lent lost meant met paid rose risen ran rode rang sent
shook shaken shot sang sung sank sat slept spoke spoken spent stood stole stolen struck swam swum threw thrown told
thought understood woke woken wore worn won wrote written went took saw gave put set cut hit let shut read spread cost
dealt fed fled forbade forgave froze frozen hung lay lit mistook overcame sought sold slid spun split stuck stung
swept swore sworn taught tore torn undertook withdrew withdrawn
across along among amongst around behind below beneath beside besides beyond despite except inside near nearly onto
outside since though toward towards throughout unless whether whereas yet already always almost although another
anyone anything anyway anywhere away else ever everyone everything everywhere hence however indeed instead later less
least likely merely neither never nobody none nothing often otherwise perhaps quite rather really seldom several simply
somehow someone something sometimes somewhat somewhere soon still thus together usually well whenever wherever whole
yes maybe either enough even ago ahead apart aside back forward further furthermore moreover nevertheless nonetheless
therefore meanwhile consequently afterwards beforehand elsewhere likewise namely regardless respectively
accordingly approximately eventually exactly finally frequently generally gradually immediately largely mainly mostly
necessarily normally obviously occasionally originally particularly partly possibly precisely previously primarily
probably properly rapidly rarely readily recently relatively roughly separately seriously significantly similarly
slightly specifically strongly subsequently substantially successfully suddenly sufficiently typically ultimately
entirely especially essentially directly clearly closely completely considerably constantly currently definitely
due per versus whose whatever whichever whoever within without upon via amid unlike
able absent absolute abundant academic acceptable accurate active actual acute adequate adjacent advanced aggressive
alive alone alternative ambitious ancient annual anxious apparent appropriate approximate arbitrary armed asleep
attractive automatic available average aware awful basic beautiful blind blue bold brief broad brown busy capable
careful casual central certain cheap chemical chief chronic civil classic classical clinical coherent comfortable
commercial common comparable comparative competitive complete complex comprehensive concrete confident conscious
conservative considerable consistent constant constitutional contemporary continuous conventional correct corresponding
crucial cultural curious current dead deaf dear decent deep default definite deliberate democratic dense dependent
desperate detailed diverse domestic dominant double dramatic dual due dynamic eager east eastern educational effective
efficient elderly electronic elegant eligible emotional empirical encouraging endless enormous entire environmental
equal equivalent essential eternal ethical ethnic evident evil exact excellent exceptional excessive exciting exclusive
existing exotic experimental explicit exponential extensive external extra extraordinary extreme fair faithful familiar
famous fancy fantastic far fatal favourable favourite federal fellow female feminine fierce final fine firm fiscal fit
fixed flat flexible fluent fond foreign formal former fortunate frank frequent friendly front frozen fundamental funny
general generous genetic gentle genuine giant glad golden gorgeous grand grateful great green grey gross guilty handsome
happy harsh healthy heavy helpful hidden historic historical holy honest horizontal hostile huge humble hungry ideal
identical illegal immediate immense imperial implicit impossible impressive inadequate incredible independent indirect
individual industrial inevitable infinite informal initial inner innocent instant intellectual intelligent intense
interior intermediate internal intimate invisible involved isolated joint junior just keen key kind known lasting
latter lazy leading lean legal legitimate lengthy liberal lifelong linear literary lively logical lonely loose loud
lovely loyal lucky magic magnificent main major male mandatory manual marginal marine massive mathematical mature
maximum medical medieval mental mere middle mild military minimal minimum minor mobile moderate modest moral multiple
mutual naked narrow nasty native natural naval near neat negative neutral nice noble normal northern notable novel
nuclear numerous objective obvious occasional odd offensive official okay operational opposite optimistic optional oral
ordinary organic original orthodox outer outstanding overall overseas painful pale parallel parliamentary partial
passive patient peaceful peculiar perfect permanent personal physical plain pleasant plenty polite popular positive
potential powerful practical precious precise predictable pregnant preliminary premature present pretty previous prime
primary principal prior probable productive professional profound progressive prominent proper proportional
prospective proud provincial psychological pure qualitative quantitative quick quiet radical random rapid rare rational
raw ready realistic reasonable recent regional regular related relevant reliable religious reluctant remarkable remote
residential resistant respective responsible restricted rough round royal rural sacred satisfactory scientific secondary
secure selective senior sensitive separate serious severe sexual sharp silent silly similar sincere skilled slight
smooth sober social soft sole solid sophisticated sorry southern spare spatial special specific spectacular spiritual
splendid stable standard static statistical steady steep sticky straight strange strategic strict striking structural
stupid subjective subsequent substantial subtle successful successive sudden sufficient suitable superb superior
supreme sure surprising suspicious symbolic sympathetic systematic tall technical temporary tender terrible theoretical
thick thin tight tiny tired total tough toxic traditional tremendous tropical typical ugly ultimate unable uncertain
unexpected uniform unique united universal unknown unlikely unusual upper urban urgent useful usual vague valid valuable
variable vast verbal vertical viable vital vivid vocational voluntary vulnerable western white wide wild willing wise
wonderful wooden worldwide worried worthy yellow zonal
analysis concept consistent constitute context contract create define derive distribute economy establish evident factor
formula function identify income indicate interpret involve legislate major occur percent policy principle proceed
require respond significant source specific structure theory vary achieve acquire administer affect appropriate aspect
assist category chapter commission community complex compute conclude conduct consequent construct consume credit culture
design distinct element equate evaluate feature final focus impact injure institute invest item journal maintain
normal obtain participate perceive positive potential previous primary purchase range region regulate relevant reside
resource restrict secure seek select site strategy survey text tradition transfer alternative circumstance comment
compensate component consent considerable constant constrain contribute convene coordinate core corporate correspond
criteria deduce demonstrate document dominate emphasis ensure exclude framework fund illustrate immigrate imply initial
instance interact justify layer link locate maximise minor negate outcome partner philosophy physical proportion publish
react register rely remove scheme sequence sex shift specify sufficient task technical technique technology valid volume
algorithm api app async await backend binary boolean browser bytes callback cli compile config container cookie cpu css
csv debug debugger dependency deploy developer directory dns docker endpoint enum frontend git github gpu gui hash html
http https integer interface javascript json kernel lambda latency linux localhost login logout macos markdown metadata
middleware namespace null offline online parse parser pixel plugin pointer protocol proxy python regex repository
router runtime schema scripting sdk sql ssh stack syntax terminal timeout timestamp toolbar typescript ui unicode url usb
username utf webhook website widget wifi windows workflow xml yaml zip
`;
