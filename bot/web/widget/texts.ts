// Norwegian (Bokmål) interface texts. Young mode uses plainer words.

export interface Texts {
  title: string;
  landmark: string;
  subtitle: string;
  open: string;
  close: string;
  closeLabel: string;
  exit: string;
  exitHint: string;
  human: string;
  clear: string;
  clearConfirm: string;
  clearing: string;
  cleared: string;
  clearFailed: string;
  inputLabel: string;
  inputHint: string;
  send: string;
  logLabel: string;
  you: string;
  bot: string;
  typing: string;
  connecting: string;
  offline: string;
  online: string;
  choices: string;
  source: string;
  sources: string;
  newTab: string;
  call: string;
  openNow: string;
  closedNow: string;
  website: string;
  alsoOpen: string;
  humanCard: string;
  danger: string;
}

const adult: Texts = {
  title: "Pårørende-guiden",
  landmark: "Chat for pårørende",
  subtitle: "Du snakker med en chatbot, ikke et menneske.",
  danger: "Er noen i fare nå, ring",
  open: "Åpne chat for pårørende",
  close: "Lukk",
  closeLabel: "Lukk chatten (samtalen blir ikke slettet)",
  exit: "Rask utgang",
  exitHint: "Forlater siden med en gang og sletter samtalen. Du kan også trykke Esc to ganger.",
  human: "Snakk med et menneske",
  clear: "Slett samtalen",
  clearConfirm: "Vil du slette hele samtalen?",
  clearing: "Sletter samtalen …",
  cleared: "Samtalen er slettet.",
  clearFailed:
    "Samtalen er fjernet her, men vi fikk ikke slettet den hos oss akkurat nå. " +
    "Den blir slettet automatisk etter 30 dager.",
  inputLabel: "Skriv spørsmålet ditt",
  inputHint: "Ikke skriv navn, fødselsnummer eller andre opplysninger som kan vise hvem du er.",
  send: "Send",
  logLabel: "Samtale",
  you: "Du",
  bot: "Chatboten",
  typing: "Chatboten skriver …",
  connecting: "Kobler til …",
  offline: "Ingen forbindelse med chatten akkurat nå. Vi prøver igjen.",
  online: "Tilkoblet.",
  choices: "Velg et svar",
  source: "Kilde",
  sources: "Kilder",
  newTab: "(åpnes i ny fane)",
  call: "Ring",
  openNow: "Åpent nå",
  closedNow: "Stengt nå",
  website: "Nettside og åpningstider",
  alsoOpen: "Åpent hele døgnet",
  humanCard: "Kontakt et menneske",
};

const young: Texts = {
  ...adult,
  title: "Chat for unge pårørende",
  landmark: "Chat for unge pårørende",
  subtitle: "Du chatter med en maskin, ikke et menneske.",
  open: "Åpne chatten",
  closeLabel: "Lukk chatten (samtalen blir ikke slettet)",
  exitHint: "Lukker siden med en gang og sletter chatten. Eller trykk Esc to ganger.",
  human: "Snakk med en voksen",
  clear: "Slett chatten",
  clearConfirm: "Vil du slette chatten?",
  clearing: "Sletter chatten …",
  cleared: "Chatten er slettet.",
  clearFailed:
    "Chatten er borte her, men vi klarte ikke å slette den hos oss nå. " +
    "Den blir slettet av seg selv etter 30 dager.",
  inputLabel: "Skriv det du lurer på",
  inputHint: "Du trenger ikke skrive navnet ditt.",
  typing: "Skriver …",
  offline: "Chatten virker ikke akkurat nå. Vi prøver igjen.",
  choices: "Velg",
  website: "Nettside",
  humanCard: "Snakk med en voksen",
};

export function texts(mode: string): Texts {
  return mode === "ung" ? young : adult;
}
