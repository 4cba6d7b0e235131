/**
 * Stop words: the classic SMART/CACM list (van Rijsbergen's "Information Retrieval", 1979), the list
 * the CACM test collection ships with. Such words carry no topic and their postings are the longest,
 * so dropping them makes the index smaller and ranking better.
 */
const STOP_WORD_TEXT = [
  'a about above accordingly across after afterwards again against all almost alone along already also',
  'although always am among amongst an and another any anybody anyhow anyone anything anywhere apart',
  'are around as aside at away awfully be became because become becomes becoming been before beforehand',
  'behind being below beside besides best better between beyond both brief but by cacm can cannot cant',
  'certain co consequently could did do does doing done down downwards during each eg eight either else',
  'elsewhere enough et etc even ever every everybody everyone everything everywhere ex except far few',
  'fifth first five for former formerly forth four from further furthermore get gets go gone got had',
  'hardly has have having he hence her here hereafter hereby herein hereupon hers herself him himself',
  'his hither how howbeit however i ie if immediate in inasmuch inc indeed inner insofar instead into',
  'inward is it its itself just keep kept last latter latterly least less lest like little ltd many may',
  'me meanwhile might more moreover most mostly much must my myself namely near neither never',
  'nevertheless new next nine no nobody none noone nor not nothing novel now nowhere of off often oh',
  'old on once one ones only onto or other others otherwise ought our ours ourselves out outside over',
  'overall own particular particularly per perhaps please plus probably que quite rather really',
  'relatively respectively right said same second secondly see seem seemed seeming seems self selves',
  'sensible serious seven several shall she should since six so some somebody somehow someone something',
  'sometime sometimes somewhat somewhere still sub such sup than that the their theirs them themselves',
  'then thence there thereafter thereby therefore therein thereupon these they third this thorough',
  'thoroughly those though three through throughout thru thus to together too toward towards twice two',
  'under until unto up upon us various very via vs viz was we well went were what whatever when whence',
  'whenever where whereafter whereas whereby wherein whereupon wherever whether which while whither who',
  'whoever whole whom whose why will with within without would yet you your yours yourself yourselves',
  'zero',
].join(' ');

export const STOP_WORDS: ReadonlySet<string> = new Set(STOP_WORD_TEXT.split(' '));
