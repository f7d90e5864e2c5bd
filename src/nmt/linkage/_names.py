"""Name material for the synthetic generator (:mod:`nmt.linkage.synthetic`).

Given and family names of the countries of origin that dominate Swedish trafficking statistics,
written from general knowledge of each country's naming (no list was copied), each list in
rough order of frequency: the generator draws from it with a Zipf-Mandelbrot law, so the first
names are common and the last rare. Where a naming system is compositional (Slavic and Swedish
surnames from stems and endings, Thai surnames, Vietnamese middle and given names, Chinese
given names from syllables, Eritrean patronymics) the lists hold the parts and the generator
composes them, which gives the long tail real populations have.

Entries are comma-separated; a name may hold spaces (Vietnamese and Moroccan names).
"""

from __future__ import annotations


def names(text: str) -> tuple[str, ...]:
    """The comma-separated names of ``text``, stripped, empty entries dropped, order kept."""
    seen: dict[str, None] = {}
    for part in text.split(","):
        name = " ".join(part.split())
        if name:
            seen.setdefault(name, None)
    return tuple(seen)


RO_FEMALE = names("""
Maria, Elena, Ioana, Andreea, Ana, Mihaela, Alexandra, Cristina, Daniela, Gabriela, Nicoleta,
Florentina, Georgiana, Ramona, Alina, Roxana, Simona, Adriana, Mariana, Raluca, Diana, Irina,
Monica, Larisa, Bianca, Denisa, Loredana, Camelia, Claudia, Oana, Corina, Carmen, Florina,
Liliana, Violeta, Luminița, Mădălina, Ștefania, Anișoara, Georgeta, Rodica, Viorica, Aurelia,
Doina, Lucia, Marinela, Petruța, Vasilica, Valentina, Cătălina, Iuliana, Lavinia, Alexia,
Antonia, Sorina, Teodora, Laura, Emilia, Silvia, Veronica, Gheorghița, Paula, Anca, Angela,
Ecaterina, Elisabeta, Margareta, Natalia, Nadia, Olga, Otilia, Sabina, Tatiana, Valeria, Zoița,
Geanina, Lenuța, Mirela, Nela, Nicolina, Petronela, Ionela, Costela, Cosmina, Delia, Dorina,
Floarea, Lăcrămioara, Maricica, Marioara, Rebeca, Ruxandra, Sânziana, Smaranda, Steliana,
Tudora, Virginia, Casandra, Ilinca, Amalia, Miruna, Bogdana, Crina, Dana, Elvira, Flavia,
Ileana, Jeni, Lorena, Medeea, Narcisa, Patricia, Rozalia, Stela, Tamara, Vanesa, Denisa
""")

RO_MALE = names("""
Ion, Gheorghe, Constantin, Vasile, Nicolae, Alexandru, Mihai, Andrei, Ștefan, Florin, Daniel,
Marian, Adrian, Cristian, Ionuț, Dumitru, Gabriel, Marius, Bogdan, Petru, Cătălin, Iulian,
Costel, Sorin, Liviu, Viorel, Dan, Paul, Emil, Sebastian, Răzvan, Ovidiu, Cosmin, Lucian,
Victor, Valentin, Radu, George, Claudiu, Eugen, Dorin, Aurel, Sergiu, Petrică, Laurențiu,
Silviu, Mircea, Cornel, Traian, Vlad, Robert, Nicușor, Tudor, Octavian, Valeriu, Remus, Horia,
Emanuel, Darius, Denis, Fănel, Gelu, Grigore, Ilie, Marcel, Mugurel, Nelu, Petrișor, Romeo,
Sandu, Sorinel, Toma, Vasilică, Costică, Dănuț, Dragoș, Eduard, Florian, Ionel, Iosif, Leonard,
Mitică, Octav, Pavel, Relu, Sabin, Teodor, Tiberiu, Bebe, Cezar, Doru, Fabian, Gigel, Ghiță,
Aurelian, Beniamin, Ciprian, Codrin, Damian, Emilian, Felix, Horațiu, Iacob, Lazăr, Matei,
Narcis, Paulică, Rareș, Samuel, Stelian, Timotei, Virgil
""")

RO_FAMILY = names("""
Popa, Pop, Popescu, Radu, Dumitru, Ionescu, Stan, Stoica, Gheorghe, Matei, Constantin, Rusu,
Mihai, Ciobanu, Ene, Marin, Munteanu, Florea, Dinu, Șerban, Moldovan, Lungu, Tudor, Ilie,
Nistor, Toma, Sandu, Dobre, Mocanu, Barbu, Neagu, Stanciu, Preda, Oprea, Lazăr, Zamfir, Vasile,
Andrei, Ion, Diaconu, Dragomir, Cristea, Nicolae, Manea, Voicu, Rădulescu, Georgescu, Anghel,
Stănescu, Constantinescu, Dumitrescu, Nedelcu, Lupu, Popovici, Costache, Moraru, Bălan,
Cojocaru, Enache, Ursu, Ardeleanu, Bucur, Sârbu, Pavel, Mureșan, Căldăraru, Lăcătuș, Tănase,
Mihăilă, Drăgan, Iordache, Surdu, Grigore, Alexe, Paraschiv, Dobrescu, Chiriac, Sima, Bratu,
Done, Niculescu, Vlad, Iancu, Năstase, Boboc, Cozma, Marinescu, Petrescu, Bogdan, Tănăsescu,
Badea, Tudose, Roman, Cârstea, Bejan, Neacșu, Ispas, Rotaru, Ghiță, Nițu, Dragu, Stoian, Pîrvu,
Țăranu, Lăzărescu, Bărbulescu, Ungureanu, Covaci, Rostaș, Ciurar, Fieraru, Lingurar, Spoitoru,
Zlătaru, Mândru, Pătrașcu, Vlădescu, Nedelea, Cazacu, Grecu, Sârbulescu
""")
RO_FAMILY_STEMS = names("""
Pop, Ion, Dumitr, Stan, Stoi, Gheorghi, Rad, Muntean, Constantin, Marin, Tudor, Dobr, Barb,
Nistor, Flor, Din, Lazăr, Mocan, Cioban, Moldov, Mureș, Opr, Pătraș, Vlăd, Nedel, Zamfir, Sârb,
Țăr, Băl, Căldăr, Lup, Neag, Pred, Voic, Stănc, Cozm, Il, Grigor, Mat, Buzat, Roșc, Chiriac,
Răduc, Sand, Tom, Bălt, Cârj, Crăci, Dăsc, Fărc, Gâlc, Hârț, Iord, Jitar, Leonț, Mân, Năsta,
Olt, Păun, Rășc, Scor, Tăn, Ursach, Vrânc, Zăvoi, Bârl, Cern, Drăgh, Găin, Huț, Mărg, Petr,
Rus, Sălc, Teod, Ungur, Vâlc
""")
RO_FAMILY_MIDDLES = ("", *names("ov, ic, an, ăr, in, ul, er"))
RO_FAMILY_ENDINGS = names("escu, eanu, u, ache, oiu, a, ean, aru, uț, ilă")

BG_FEMALE = names("""
Мария, Иванка, Елена, Йорданка, Пенка, Цветелина, Десислава, Радостина, Галина, Гергана,
Надежда, Силвия, Теодора, Виктория, Станислава, Росица, Ива, Петя, Милена, Зорница, Николина,
Даниела, Снежана, Красимира, Веселина, Светла, Стефка, Лиляна, Емилия, Анелия, Деница, Мариана,
Валентина, Кристина, Антония, Радка, Василка, Стоянка, Тодорка, Донка, Катя, Мирослава, Невена,
Таня, Ваня, Камелия, Нели, Ралица, Борислава, Велина, Габриела, Симона, Яна, Албена, Богдана,
Христина, Калина, Магдалена, Михаела, Диана, Боряна, Екатерина, Жана, Лили, Любов, Маргарита,
Пламена, Румяна, Севда, Соня, Тинка, Фатме, Айше, Емине
""")
BG_MALE = names("""
Георги, Иван, Димитър, Николай, Петър, Христо, Стоян, Тодор, Йордан, Васил, Стефан, Атанас,
Красимир, Цветан, Живко, Любомир, Александър, Илия, Ангел, Пламен, Валентин, Мартин, Кирил,
Борислав, Емил, Веселин, Симеон, Методи, Асен, Калоян, Радослав, Венцислав, Владимир, Даниел,
Росен, Светослав, Трифон, Младен, Бойко, Митко, Огнян, Павел, Румен, Сашо, Станимир, Тихомир,
Христиан, Янко, Здравко, Костадин, Марин, Милен, Орлин, Делян, Галин, Евгени, Златко, Кольо,
Божидар, Явор, Ахмед, Мехмед, Юсуф, Хасан, Ердоган, Бисер, Васко, Гошо
""")
BG_FAMILY_STEMS = names("""
Иван, Георги, Димитр, Петр, Никол, Христ, Стоян, Тодор, Или, Атанас, Ангел, Йордан, Кол, Марин,
Стефан, Костадин, Цветк, Желязк, Михайл, Асен, Рус, Славч, Божин, Чолак, Кирил, Лазар, Драган,
Вълк, Поп, Кръст, Гроз, Добр, Пенч, Станч, Велич, Мит, Бог, Злат, Радк, Калч, Алекс, Борис,
Васил, Генч, Дел, Енч, Жив, Захари, Илч, Йонч, Каменар, Любен, Мар, Нед, Пав, Рад, Сав, Тан,
Тон, Хрис, Цан, Чакър, Шишк, Ян, Белч, Гав, Дечк, Евтим, Зах, Кар, Лук, Мил, Нен, Пет, Сим,
Трайк, Филип, Хадж
""")
BG_FAMILY_MIDDLES = ("", *names("ан, ин, ач, ик, ал, ч"))
BG_FAMILY_ENDINGS = names("ов, ев")

UA_FEMALE = names("""
Олена, Наталія, Ірина, Оксана, Тетяна, Юлія, Світлана, Марія, Анна, Катерина, Людмила, Ганна,
Вікторія, Олександра, Дарина, Софія, Яна, Надія, Галина, Інна, Валентина, Лариса, Любов, Ольга,
Алла, Віра, Тамара, Зоя, Раїса, Антоніна, Ніна, Лілія, Вероніка, Христина, Анастасія, Аліна,
Діана, Мирослава, Соломія, Уляна, Богдана, Ярослава, Роксолана, Леся, Маргарита, Євгенія,
Жанна, Іванна, Кристина, Поліна, Зоряна, Марта, Оресія, Стефанія, Уляна, Христя
""")
UA_MALE = names("""
Олександр, Сергій, Андрій, Володимир, Михайло, Юрій, Дмитро, Іван, Олег, Богдан, Тарас, Віктор,
Василь, Микола, Петро, Ігор, Роман, Віталій, Євген, Максим, Артем, Денис, Павло, Степан,
Ярослав, Руслан, Анатолій, Валерій, Григорій, Костянтин, Назар, Орест, Остап, Вадим, Олексій,
Станіслав, Вячеслав, Леонід, Федір, Антон, Ярема, Мирослав, Всеволод, Зиновій, Лук'ян, Нестор,
Пилип, Ростислав, Святослав, Тимофій
""")
UA_FAMILY_STEMS = names("""
Шевч, Коваль, Бондар, Ткач, Кравч, Мельнич, Лисен, Марч, Савч, Руд, Павл, Петр, Ковал, Гнат,
Онищ, Клим, Поліщ, Олійн, Сидор, Мороз, Гаврил, Романч, Бойч, Василь, Гончар, Дорош, Зінч,
Іван, Карп, Литвин, Мартин, Назар, Остап, Приход, Семен, Тимош, Устим, Федор, Харч, Цимбал,
Яковл, Швец, Левч, Максим, Кушн, Бабич, Вовк, Гуц, Данил, Єрем, Жук, Кост, Мазур, Нестер,
Охрім, Пилип, Сав, Тарас, Юрч
""")
UA_FAMILY_MIDDLES = ("", *names("ан, ов, ич, ин, ар, ел"))
UA_FAMILY_ENDINGS = names("енко, ук, чук, ик, ишин, ак, ець, ко, юк")

RU_FEMALE = names("""
Юлия, Наталья, Татьяна, Екатерина, Ольга, Елена, Анастасия, Мария, Светлана, Ирина, Ксения,
Дарья, Анна, Марина, Людмила, Галина, Валентина, Надежда, Любовь, Оксана, Алёна, Виктория,
Полина, Софья, Алина, Кристина, Вера, Евгения, Яна, Лариса, Нина, Тамара, Жанна, Олеся, Диана,
Валерия, Милана, Ульяна, Варвара, Зоя, Антонина, Вероника, Маргарита, Снежана, Регина, Эльвира,
Лилия, Инна, Алла, Раиса, Майя, Василиса, Евгения, Таисия, Ангелина
""")
RU_MALE = names("""
Александр, Дмитрий, Владимир, Сергей, Алексей, Андрей, Михаил, Иван, Николай, Евгений, Максим,
Артём, Денис, Павел, Роман, Игорь, Олег, Виктор, Юрий, Антон, Константин, Вадим, Илья, Кирилл,
Никита, Егор, Тимур, Руслан, Григорий, Станислав, Фёдор, Василий, Леонид, Борис, Геннадий,
Пётр, Анатолий, Валерий, Ярослав, Глеб, Семён, Степан, Данил, Артур, Эдуард, Виталий, Вячеслав,
Аркадий, Лев, Матвей
""")
RU_FAMILY_STEMS = names("""
Кузнец, Иван, Смирн, Поп, Сокол, Лебед, Козл, Новик, Мороз, Волк, Соловь, Василь, Зайц, Павл,
Семён, Голуб, Виноград, Богдан, Воробь, Фёдор, Орл, Медвед, Тарас, Белоус, Петр, Михайл, Фрол,
Андре, Алекс, Макар, Никит, Захар, Зуб, Комар, Жук, Гусе, Ершов, Карп, Лапт, Мельник, Никол,
Осип, Прохор, Родион, Сафон, Тимоф, Устин, Филат, Харит, Щерб, Ястреб
""")
RU_FAMILY_MIDDLES = ("", *names("ин, ан, ск, ич"))
RU_FAMILY_ENDINGS = names("ов, ев, ин")

NG_FEMALE = names("""
Blessing, Precious, Joy, Mercy, Favour, Gift, Faith, Esther, Success, Peace, Patience, Comfort,
Chidinma, Ngozi, Chioma, Adaeze, Osas, Efe, Eghosa, Osaretin, Itohan, Omoye, Funmilayo,
Oluwaseun, Ifeoma, Nneka, Uyi, Aisosa, Vivian, Princess, Grace, Deborah, Mary, Juliet, Loveth,
Happiness, Goodness, Endurance, Glory, Queen, Hope, Charity, Rita, Stella, Victoria, Osarugue,
Ivie, Eseosa, Osayi, Omorogie, Amenze, Edosa, Enogie, Iyobosa, Nosa, Osaruyi, Uwa, Adesuwa,
Ekinadose, Obehi, Ehi, Ebere, Amaka, Chiamaka, Nkechi, Uchechi, Chinyere, Obiageli, Adaobi,
Ogechi, Kemi, Bisi, Folake, Yetunde, Titilayo, Aderonke, Bukola, Damilola, Temitope, Abosede,
Omolara, Zainab, Aisha, Hauwa, Amina, Fatima, Hadiza, Jennifer, Sandra, Cynthia, Gloria,
Rebecca, Ruth, Sarah, Lucky, Tina, Helen, Anita, Evelyn, Jessica
""")
NG_MALE = names("""
Chukwuemeka, Babatunde, Osagie, Emmanuel, Godwin, Sunday, Samuel, Friday, Olusegun, Ikenna,
Osaze, Efosa, Uche, Kelvin, Victor, John, Peter, Michael, David, Daniel, Joseph, Paul, Stephen,
Solomon, Moses, Isaac, Gabriel, Chinedu, Obinna, Chibuike, Nnamdi, Emeka, Ifeanyi, Kenechukwu,
Chijioke, Tochukwu, Osaro, Osas, Eghosa, Ehis, Omon, Aigbe, Osamudiamen, Iyobosa, Nosakhare,
Ewaen, Olumide, Ayodele, Oluwafemi, Kayode, Adebayo, Tunde, Segun, Femi, Gbenga, Wale, Musa,
Ibrahim, Abubakar, Usman, Sani, Bello, Aliyu, Umar, Lucky, Prince, Kingsley, Collins, Felix,
Henry, Patrick, Anthony, Charles, Francis
""")
NG_FAMILY = names("""
Okafor, Osagie, Eze, Obi, Omoregie, Igbinedion, Okonkwo, Adeyemi, Ogunleye, Okoro, Nwosu,
Okeke, Ibrahim, Mohammed, Bello, Abubakar, Adebayo, Oladipo, Ogbonna, Nwachukwu, Osazuwa,
Aigbe, Ehigie, Idahosa, Iyamu, Ogbeide, Osayande, Uwaifo, Ighodaro, Edosomwan, Enabulele,
Obasuyi, Omorogbe, Osaghae, Osarenren, Uyiosa, Izevbigie, Aghedo, Eweka, Imasuen, Agbonlahor,
Ekhator, Erhunmwunse, Okojie, Ojo, Ogunbiyi, Adeleke, Afolabi, Akande, Akinola, Alabi,
Babalola, Fashola, Ilori, Ogundipe, Oyelaran, Adewale, Chukwu, Nnaji, Anyanwu, Ezeh, Ike,
Nwankwo, Onyekachi, Ugwu, Uzor, Agu, Obiora, Onuoha, Ekwueme, Achebe, Ojukwu, Nnamdi, Azikiwe,
Okorie, Udeh, Oguike, Ezeani, Onwuka, Emenike, Nwafor, Okpara, Mbah, Usman, Yusuf, Aliyu,
Suleiman, Danjuma, Garba, Lawal, Shehu, Yakubu, Okon, Effiong, Bassey, Etim, Akpan, Udoh,
Inyang, Essien, Ekanem, Asuquo
""")
NG_FAMILY_STEMS = names("""
Oka, Oko, Eze, Obi, Ade, Ogun, Osa, Igbi, Omo, Ehi, Nwa, Chuk, Olu, Ako, Uwa, Aig, Idah, Edo,
Ogie, Iye, Ose, Agbon, Eki, Oro, Ugo, Onye, Ihe, Ama, Ebi, Ike, Ola, Ayo, Femi, Oye
""")
NG_FAMILY_MIDDLES = ("", *names("ri, gbe, nwa, si, ba, ma"))
NG_FAMILY_ENDINGS = names("""
for, nkwo, gie, nedion, regie, ghae, yemi, leye, bueze, kwe, mwan, bor, wanta, ese, ba, kpolor,
di, wale, tunde, chukwu, dike, nna
""")

TH_FEMALE = names("""
Siriporn, Pornthip, Kanokwan, Wanida, Sukanya, Nok, Malee, Ratana, Saowalak, Jintana, Apinya,
Pimchanok, Duangjai, Kannika, Nittaya, Sasithorn, Orawan, Ploy, Achara, Lamai, Somying, Sunisa,
Supaporn, Pranee, Busaba, Chanida, Kanya, Ladda, Nantana, Nongnuch, Pensri, Phensri, Rattana,
Sirirat, Sompong, Suda, Tassanee, Thida, Usa, Waraporn, Yupin, Anong, Arunee, Boonsri, Chutima,
Daeng, Jiraporn, Kamolwan, Kulap, Lek, Mayuree, Naiyana, Oranong, Panida, Patcharee, Pattama,
Porntip, Ruangrong, Sangwan, Somsri, Sumalee, Thanaporn, Wilai, Yaowalak, Amporn, Benjawan,
Busakorn, Chalida, Dararat, Hathaichanok, Jiranan, Kesinee, Laddawan
""")
TH_MALE = names("""
Somchai, Thongchai, Chaiya, Surasak, Prasert, Anan, Boonmee, Kittisak, Somsak, Wichai, Sombat,
Suchart, Prayut, Narong, Sakchai, Pongsak, Thawatchai, Wirat, Yutthana, Apichat, Chatchai,
Decha, Ekachai, Kriangkrai, Manop, Niran, Prasit, Sirichai, Somkiat, Supachai, Thanakorn, Udom,
Wanchai, Adisak, Banchong, Chakrit, Damrong, Jakkrit, Kasem, Montri, Nattapong, Panya,
Rattapong, Sarawut, Tanawat, Weerapong, Yongyut, Anuchit, Boonchu, Chaowalit
""")
TH_FAMILY_STEMS = names("""
Srisuk, Boon, Chai, Kaew, Thong, Suk, Phrom, Wong, Saeng, Rattana, Phet, Sri, Intha, Khun,
Manee, Charoen, Siri, Wattana, Somboon, Pong, Sakul, Jinda, Kham, Duang, Nak, Phan, Ruang,
Sang, Thip, Yot, Anan, Chan, Kiat, Lert, Mongkol, Nop, Pra, Sawang, Thana, Uthai, Wichit
""")
TH_FAMILY_MIDDLES = ("", *names("sa, pra, an, ra, ka, sin, na, ya, wat"))
TH_FAMILY_ENDINGS = names("""
sawat, prasert, chai, pong, sri, kul, wong, thong, phan, ngam, rak, sombat, charoen, suwan,
manee, rit, sak, siri, porn, kit, pan, yot, chot, lap
""")

# Vietnamese: the family name first, then a middle name and the given name (both recorded as
# the "given name" here, as agencies write them). The family name distribution is famously
# concentrated (Nguyễn is borne by close to two in five), so it has explicit shares.
VN_FAMILY_SHARES: dict[str, float] = {
    "Nguyễn": 0.38,
    "Trần": 0.11,
    "Lê": 0.095,
    "Phạm": 0.071,
    "Hoàng": 0.051,
    "Huỳnh": 0.03,
    "Phan": 0.045,
    "Vũ": 0.039,
    "Võ": 0.025,
    "Đặng": 0.021,
    "Bùi": 0.02,
    "Đỗ": 0.014,
    "Hồ": 0.013,
    "Ngô": 0.013,
    "Dương": 0.01,
    "Lý": 0.005,
    "Đinh": 0.005,
    "Đào": 0.004,
    "Trịnh": 0.004,
    "Mai": 0.003,
    "Trương": 0.003,
    "Lương": 0.003,
    "Tạ": 0.002,
    "Cao": 0.002,
    "Lâm": 0.002,
    "Hà": 0.002,
    "Chu": 0.001,
    "Kiều": 0.001,
    "Quách": 0.001,
    "Thái": 0.001,
}
VN_FEMALE_MIDDLE = names("Thị, Thị, Thị, Ngọc, Thu, Thanh, Kim, Hồng, Minh, Bảo, Phương, Mai, Diệu")
VN_MALE_MIDDLE = names("Văn, Văn, Văn, Đức, Minh, Quang, Hữu, Công, Đình, Xuân, Thành, Anh, Tuấn")
VN_FEMALE_GIVEN = names("""
Hương, Lan, Mai, Hồng, Thu, Hà, Ngọc, Linh, Thảo, Trang, Nhung, Yến, Hạnh, Hoa, Huyền, Loan,
Phương, Thủy, Vân, Nga, Hằng, Dung, Thanh, Bích, Kim, Oanh, Quỳnh, Tuyết, Xuân, Diệp, Anh, Ánh,
Giang, Hiền, Lý, My, Nhàn, Châu, Tâm, Ngân, Liên, Hải, Ly, Nguyệt, Phượng, Tú, Uyên, Vy, Chi,
Duyên, Hậu, Lụa, Mơ, Nhi, Quyên, Sen, Thơm, Trâm, Xoan
""")
VN_MALE_GIVEN = names("""
Minh, Hùng, Nam, Dũng, Tuấn, Hải, Long, Sơn, Thắng, Anh, Huy, Đức, Phúc, Hoàng, Khánh, Lâm,
Quân, Tiến, Toàn, Trung, Vinh, Nghĩa, Thành, Trọng, Bắc, Bình, Cường, Đạt, Hiếu, Hòa, Kiên,
Lợi, Mạnh, Phong, Quang, Sang, Tài, Thịnh, Tùng, Việt, Hưng, Khoa, Lực, Nhân, Phát
""")

# Chinese: the family name distribution is concentrated too; given names are one or two
# syllables from a large inventory, hence far more varied than family names.
CN_FAMILY = names("""
Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun, Ma, Zhu, Hu, Guo, He, Lin,
Gao, Luo, Zheng, Liang, Xie, Song, Tang, Han, Feng, Deng, Cao, Peng, Zeng, Xiao, Tian, Dong,
Pan, Yuan, Cai, Jiang, Yu, Du, Ye, Cheng, Wei, Su, Lu, Ding, Ren, Shen, Yao, Jin
""")
CN_FEMALE_SYLLABLES = names("""
Li, Na, Mei, Xiu, Ying, Yan, Jing, Hong, Fang, Min, Hui, Juan, Qing, Xia, Lan, Ping, Yun, Ling,
Jie, Hua, Xin, Yu, Zhen, Dan, Lei, Shu, Qian, Ting, Wen, Rong, Fei, Jia, Xue, Yue, Lu, Chun,
Qiu, Xiao, Hai, Lian, Ning, Rui, Shan, Tong, Wei, Xiang, Yi, Zi
""")
CN_MALE_SYLLABLES = names("""
Wei, Jun, Lei, Qiang, Ming, Tao, Jian, Hao, Bo, Yong, Jie, Gang, Ping, Hui, Peng, Hua, Bin,
Chao, Fei, Long, Hai, Dong, Feng, Liang, Kai, Xin, Yu, Zhi, Guo, Jin, Wen, Cheng, Tian, Lin,
Shan, Xiang, Yang, Zhong, De, Rui, Hong, Kang
""")

HU_FEMALE = names("""
Erzsébet, Zsófia, Katalin, Ildikó, Krisztina, Anikó, Tünde, Éva, Mónika, Brigitta, Szilvia,
Renáta, Tímea, Orsolya, Mária, Ilona, Anna, Judit, Ágnes, Andrea, Erika, Zsuzsanna, Edit,
Gabriella, Eszter, Margit, Nikolett, Viktória, Dóra, Anita, Melinda, Beáta, Enikő, Hajnalka,
Kitti, Klára, Marianna, Noémi, Rita, Veronika, Alexandra, Bernadett, Csilla, Dorina, Emese,
Fanni, Henrietta, Jázmin, Kinga, Lilla, Petra, Réka, Vivien, Zita
""")
HU_MALE = names("""
László, István, József, Zoltán, Gábor, Attila, Tibor, Béla, János, Sándor, Ferenc, Péter,
Lajos, Tamás, Zsolt, Csaba, Imre, György, Mihály, Károly, András, Róbert, Norbert, Krisztián,
Dávid, Ádám, Bence, Máté, Dániel, Richárd, Roland, Szabolcs, Viktor, Gergő, Balázs, Ákos,
Levente, Márk, Milán, Pál, Ernő, Géza, Kálmán, Miklós, Oszkár, Antal, Barnabás, Bálint,
Csongor, Dénes, Endre, Gyula, Győző, Jenő, Kristóf, Marcell, Nándor, Olivér, Patrik, Sebestyén,
Tivadar, Vilmos, Zsigmond, Benedek, Botond
""")
HU_FAMILY = names("""
Nagy, Kovács, Tóth, Szabó, Horváth, Varga, Kiss, Molnár, Németh, Farkas, Balogh, Papp, Lakatos,
Takács, Juhász, Oláh, Mészáros, Rácz, Sárközi, Kolompár, Orsós, Bogdán, Simon, Fekete,
Szilágyi, Török, Fehér, Balázs, Gál, Szűcs, Kocsis, Pintér, Fodor, Szalai, Sipos, Magyar,
Lukács, Gulyás, Bíró, Király, Katona, Jakab, Bakos, Sándor, Boros, Fazekas, Kelemen, Antal,
Somogyi, Orosz, Fülöp, Veres, Vincze, Hegedűs, Deák, Bálint, Illés, Vass, Szőke, Fábián, Vörös,
Lengyel, Bognár, Bodnár, Jónás, Hajdu, Halász, Máté, Székely, Gáspár, Kozma, Pásztor, Bencze,
Virág, Dudás, Csonka, Hegyi, Kardos, Kis, Szekeres, Vida, Barta, Barna, Soós, Pap, Major,
Benkő, Nyitrai, Tamás, Erdős, Pálinkás, Csizmadia, Borsos, Kun, Zsigmond, Szénási, Berki,
Rostás, Rafael, Csordás, Puskás, Mohácsi, Ruszó, Gombos, Dobos, Kántor
""")

AL_FEMALE = names("""
Blerina, Elira, Arta, Drita, Mimoza, Besa, Vjosa, Lindita, Eriona, Fatbardha, Klodiana, Anila,
Ardita, Brunilda, Dorina, Elona, Enkelejda, Entela, Flutura, Gentiana, Ilda, Irena, Jonida,
Kejsi, Ledia, Majlinda, Manjola, Marsela, Mirela, Nertila, Orjeta, Rudina, Sidorela, Valbona,
Xhensila, Zamira, Ajola, Anxhela, Era, Teuta, Aurela, Besjana, Dafina, Edlira, Elda, Elsa,
Fjolla, Genta, Jehona, Kaltrina, Lira, Mirjeta, Nora, Qendresa, Rina, Shpresa, Vlora, Zana,
Albana, Donika
""")
AL_MALE = names("""
Arbër, Dritan, Besnik, Ilir, Fatmir, Gentian, Artan, Edmond, Agim, Altin, Arben, Ardian,
Armand, Bledar, Dashamir, Elvis, Erion, Fation, Genci, Gëzim, Ermal, Klodian, Kujtim, Lulzim,
Marjan, Mentor, Nexhat, Olsi, Petrit, Redon, Sokol, Valon, Xhevdet, Ylli, Andi, Bujar, Endrit,
Alban, Astrit, Avni, Blerim, Dardan, Driton, Enver, Faton, Gazmend, Hekuran, Kreshnik, Liridon,
Mergim, Naim, Qemal, Shkëlzen, Valmir, Visar, Ylber, Agron
""")
AL_FAMILY = names("""
Hoxha, Krasniqi, Gashi, Berisha, Shala, Kelmendi, Morina, Bytyqi, Leka, Çela, Dervishi,
Xhaferi, Muça, Hysa, Kola, Shehu, Rama, Dushku, Mema, Prifti, Hoti, Murati, Ahmeti, Aliu,
Bajrami, Basha, Bregu, Cani, Daci, Dema, Duka, Gjoni, Gjoka, Hasani, Hyseni, Ibrahimi, Isufi,
Jashari, Kastrati, Koci, Lika, Lleshi, Malaj, Marku, Mehmeti, Meta, Mustafa, Nikolla, Osmani,
Pllumbi, Qosja, Rexhepi, Ruci, Sadiku, Selimi, Shkurti, Spahiu, Sula, Tafa, Topalli, Toska,
Veliu, Vata, Zeneli, Zhupa, Zogu, Gjika, Frashëri, Kadare, Kuka, Lami, Lushi, Mala, Nela, Peci,
Rrapaj, Tahiri, Ymeri
""")

AF_FEMALE = names("""
Fatima, Zahra, Maryam, Sakina, Nargis, Zainab, Shabnam, Parwana, Masooma, Gul, Laila, Roya,
Sima, Shukria, Farzana, Freshta, Hamida, Hasina, Karima, Latifa, Mahbooba, Nadia, Nasrin,
Nilofar, Parisa, Rahima, Razia, Sadia, Samira, Shafiqa, Soraya, Tahmina, Wahida, Zarmina,
Zarghona, Mariam, Hawa, Bibi, Khadija, Mursal, Arezo, Basira, Frozan, Gulalai, Homa, Khatera,
Lailuma, Mahnaz, Marzia, Mina, Nazanin, Palwasha, Robina, Sabira, Sahar, Sharifa, Spozhmai,
Tamana, Yalda, Zakia
""")
AF_MALE = names("""
Mohammed, Ahmad, Ali, Hussein, Reza, Mustafa, Jawad, Sajad, Hamid, Yusuf, Abdullah,
Rahmatullah, Habib, Nasir, Samir, Karim, Mahmood, Najib, Qasim, Rahim, Sharif, Zabihullah,
Ghulam, Abdul, Bashir, Farid, Hamed, Hekmatullah, Ismail, Jamshid, Khalid, Mansoor, Masood,
Mirwais, Naveed, Omid, Qadir, Rashid, Sayed, Shafiq, Sohail, Wahid, Zakir, Zalmai, Ehsan,
Murtaza, Hassan, Javid, Noorullah, Obaidullah, Rohullah, Sediq, Taher, Walid
""")
AF_FAMILY = names("""
Ahmadi, Mohammadi, Hosseini, Rahimi, Karimi, Sultani, Azizi, Jafari, Rezai, Haidari, Nazari,
Sadat, Amiri, Noori, Qasemi, Hakimi, Sharifi, Rasuli, Safi, Popal, Durrani, Ahmadzai,
Stanikzai, Yousufzai, Wardak, Mohmand, Safi, Barakzai, Alokozai, Achakzai, Kakar, Niazi, Khan,
Hashimi, Akbari, Alizada, Habibi, Hamidi, Hussaini, Jalali, Kamali, Latifi, Mansoori, Naseri,
Rahmani, Rasekh, Sahebzada, Samadi, Sarwari, Taheri, Wahidi, Yaqubi, Zaheer, Zamani, Faizi,
Ghafoori, Hotak, Masoomi, Nabizada, Omari, Qaderi, Rostami, Sadiqi, Shirzad, Stanekzai, Tokhi,
Zazai, Zadran, Mangal, Jaghori, Bamyani, Sharifzada, Ebrahimi
""")

MA_FEMALE = names("""
Fatima, Khadija, Aisha, Nadia, Samira, Hanane, Salma, Meryem, Fatima Zahra, Imane, Hafsa,
Asmae, Sanae, Ikram, Kawtar, Soukaina, Houda, Hajar, Nawal, Latifa, Malika, Naima, Rachida,
Saida, Souad, Zineb, Yasmina, Loubna, Wafaa, Karima, Bouchra, Hayat, Ilham, Jamila, Laila,
Mounia, Najat, Rajae, Siham, Touria, Widad, Zahra, Chaimae, Oumaima, Nisrine, Amal, Asma,
Btissam, Dounia, Fadwa, Ghizlane, Hind, Kenza, Lamia, Maryam, Nadia, Rim, Sara, Sanaa, Wiam,
Yousra, Zahira, Hasna, Ibtissam, Khaoula
""")
MA_MALE = names("""
Mohammed, Youssef, Ahmed, Hassan, Mustafa, Omar, Hamza, Bilal, Ayoub, Abdellah, Karim, Yusuf,
Rachid, Said, Abdelkader, Abderrahim, Adil, Aziz, Brahim, Driss, Hicham, Ismail, Jamal, Khalid,
Lahcen, Mehdi, Mounir, Mourad, Nabil, Noureddine, Redouane, Saad, Samir, Tarik, Yassine,
Zakaria, Anas, Badr, Amine, Othmane, Soufiane, Mohcine, Abdelali, Hakim, Fouad, Abdelaziz,
Abdelilah, Abdeslam, Aziz, Boubker, Chakib, Hamid, Hassan, Jawad, Larbi, Mustapha, Najib,
Rachid, Reda, Salah, Taoufik, Walid, Younes, Zouhair, Ilyas
""")
MA_FAMILY = names("""
El Amrani, Benali, Bennani, Alaoui, El Idrissi, Tazi, Berrada, Chraibi, El Fassi, Ouazzani,
Haddad, Bouzid, Belkadi, Ziani, Lahlou, El Mansouri, Saidi, Hamdi, Cherkaoui, Benjelloun,
Kettani, Sqalli, Tahiri, Filali, Lamrani, Naciri, Bakkali, El Khatib, Ouahbi, Mernissi,
Benkirane, El Alami, Amrani, Bouazza, Chakir, Daoudi, El Ouardi, Essaidi, Fassi Fihri,
Guerraoui, Hajji, Idrissi, Jaouhari, Kabbaj, Lazrak, Mansouri, Nejjari, Ouali, Rahmouni, Sabri,
Slaoui, Tounsi, Yacoubi, Zouhair, Aït Ali, Aït Ahmed, Boukhari, El Hassani, El Moussaoui,
Bouchaib, Chafik, Dahbi, El Ghazi, Fadili, Hilali, Jebli, Khalfi, Labib, Maarouf, Nouri,
Ouchen, Raji, Skalli, Tijani, Wahbi, Zerouali, Akhannouch, Belhaj, Benmoussa, Chahid, Drissi,
El Kadiri, Ghanem, Harti, Kadiri, Mokhtari, Naji, Qadiri, Rifi, Soussi, Tlemcani, Zaidi
""")

# Eritrean names are patronymic: the "family name" is the father's given name, so it is drawn
# from the men's names.
ER_FEMALE = names("""
Helen, Selam, Senait, Lidya, Yordanos, Freweyni, Mebrat, Saba, Almaz, Aster, Azieb, Eden, Elsa,
Feven, Filmona, Hiwet, Hanna, Kidisti, Luwam, Mana, Mihret, Milen, Nebiat, Rahel, Ruta, Semhar,
Sara, Segen, Tesfanesh, Tigist, Winta, Yohana, Zewdi, Abeba, Akberet, Berikti, Dehab, Ghenet,
Letebrhan, Mizan, Nigisti, Rigat, Simret, Tsega, Weini, Adiam, Aklilu, Bisrat, Delina, Elen,
Fikre, Hadas, Kisanet, Mehret, Meron, Nardos, Rezene, Sabrina, Selamawit, Tirhas, Yeabsira,
Yodit, Zebib, Hermela, Salina
""")
ER_MALE = names("""
Yohannes, Tesfay, Berhane, Haile, Mebrahtu, Daniel, Kidane, Amanuel, Filmon, Samuel, Tekle,
Gebremariam, Gebrehiwet, Mehari, Weldu, Asfaha, Ghebreyesus, Habte, Tsegay, Negash, Andemariam,
Solomon, Abraham, Aron, Biniam, Dawit, Efrem, Ermias, Fitsum, Goitom, Henok, Isaias, Kibrom,
Merhawi, Michael, Mussie, Nahom, Robel, Senay, Simon, Teklay, Tewelde, Tesfalem, Tesfamariam,
Yonas, Yemane, Zerai, Zeray, Woldemichael, Ghirmay, Kahsay, Measho, Okbay, Petros, Sium, Teame,
Tekeste, Weldemariam, Yosief, Zekarias
""")

SE_FEMALE = names("""
Anna, Maria, Emma, Sara, Åsa, Linnéa, Elin, Johanna, Märta, Ida, Frida, Moa, Malin, Ebba,
Wilma, Matilda, Hanna, Ronja, Kristina, Margareta, Elisabeth, Eva, Birgitta, Karin, Marie,
Ingrid, Lena, Kerstin, Sofia, Ulla, Linda, Helena, Annika, Susanne, Camilla, Jenny, Therese,
Emelie, Julia, Alice, Maja, Astrid, Ella, Alva, Elsa, Klara, Agnes, Saga, Signe, Tove, Amanda,
Josefin, Louise, Madeleine, Sanna, Cecilia, Jessica, Lisa, Petra, Ylva
""")
SE_MALE = names("""
Erik, Lars, Johan, Anders, Karl, Björn, Oskar, Mikael, Jonas, Per, Nils, Gustav, Emil, Viktor,
Jan, Peter, Hans, Thomas, Daniel, Fredrik, Stefan, Andreas, Magnus, Mats, Mattias, Alexander,
Patrik, Henrik, Martin, Niklas, Jonathan, Simon, Axel, William, Lucas, Hugo, Elias, Filip,
Isak, Oliver, Ludvig, Albin, Linus, Sebastian, Rasmus, Tobias, Joakim, Kristoffer, Robin,
Marcus, Göran, Bengt, Leif, Åke, Sven, Ulf, Olof, Gunnar, Rolf, Kent
""")
SE_FAMILY = names("""
Andersson, Johansson, Karlsson, Nilsson, Eriksson, Larsson, Olsson, Persson, Svensson,
Gustafsson, Pettersson, Jonsson, Jansson, Hansson, Bengtsson, Jönsson, Lindberg, Jakobsson,
Magnusson, Lindström, Olofsson, Lindqvist, Lindgren, Berg, Axelsson, Bergström, Lundberg, Lind,
Lundgren, Lundqvist, Mattsson, Berglund, Fredriksson, Sandberg, Henriksson, Forsberg, Sjöberg,
Wallin, Engström, Eklund, Danielsson, Lundin, Håkansson, Björk, Bergman, Gunnarsson, Holm,
Wikström, Samuelsson, Isaksson, Fransson, Bergqvist, Nyström, Holmberg, Arvidsson, Löfgren,
Söderberg, Nyberg, Blomqvist, Claesson, Nordström, Mårtensson, Lundström, Viklund
""")
SE_FAMILY_STEMS = names("""
Anders, Johans, Karls, Nils, Eriks, Lars, Olofs, Pers, Svens, Gustafs, Jons, Lind, Berg, Sjö,
Ström, Lund, Holm, Björk, Ek, Sand, Å, Ö, Söder, Norr, Väst, Öst, Al, Asp, Bjur, Blom, Dahl,
Ed, Fors, Gran, Hag, Hed, Hög, Kvarn, Lönn, Mal, Ny, Rosen, Sköld, Sten, Tall, Vik, Wall
""")
SE_FAMILY_MIDDLES = ("", *names("e, a"))
SE_FAMILY_ENDINGS = names("son, qvist, gren, berg, ström, lund, ell, man, dahl, bäck, blad, fors")

PL_FEMALE = names("""
Katarzyna, Małgorzata, Agnieszka, Joanna, Magdalena, Monika, Ewa, Beata, Dorota, Justyna, Anna,
Maria, Barbara, Krystyna, Elżbieta, Zofia, Teresa, Danuta, Jadwiga, Aleksandra, Natalia,
Karolina, Marta, Paulina, Weronika, Julia, Wiktoria, Zuzanna, Izabela, Sylwia, Renata, Iwona,
Grażyna, Halina, Urszula, Bożena, Kinga, Patrycja, Edyta, Marzena, Anita, Emilia, Hanna, Lena,
Oliwia, Alicja, Gabriela, Helena, Irena, Jolanta, Kamila, Lucyna, Mariola, Wanda, Ilona
""")
PL_MALE = names("""
Tomasz, Piotr, Krzysztof, Paweł, Marcin, Łukasz, Wojciech, Andrzej, Jan, Michał, Marek,
Grzegorz, Jakub, Adam, Zbigniew, Jerzy, Tadeusz, Mateusz, Dariusz, Mariusz, Rafał, Kamil,
Robert, Jacek, Sławomir, Janusz, Bartosz, Damian, Przemysław, Sebastian, Artur, Dawid, Szymon,
Kacper, Maciej, Patryk, Daniel, Mirosław, Ryszard, Stanisław, Wiesław, Henryk, Józef,
Kazimierz, Leszek, Waldemar, Zdzisław, Czesław, Bogdan, Filip, Hubert, Igor, Konrad, Oskar,
Wiktor
""")
PL_FAMILY_STEMS = names("""
Kowal, Wiśniew, Wójcik, Kowalczyk, Kamiń, Lewandow, Zieliń, Szymań, Woźniak, Dąbrow, Kozłow,
Jankow, Mazur, Krawczyk, Wojciechow, Kwiatkow, Kaczmar, Piotrow, Grabow, Nowak, Pawłow, Michal,
Nowic, Adamczyk, Dudek, Zając, Wieczor, Jabłoń, Król, Majew, Olszew, Jaworsk, Wróbl, Malinow,
Pawlak, Witkow, Walczak, Stępień, Górsk, Rutkow, Michalak, Sikor, Ostrow, Baran
""")
PL_FAMILY_MIDDLES = ("", *names("ow, in, ik"))
PL_FAMILY_ENDINGS = ("ski", "", "icz", "ak", "ek")
PL_FEMALE_ENDINGS = ("ska", "", "icz", "ak", "ek")

LT_FEMALE = names("""
Rūta, Jurgita, Lina, Giedrė, Aistė, Eglė, Vaida, Ieva, Kristina, Inga, Asta, Daiva, Jolanta,
Laima, Neringa, Rasa, Simona, Vilma, Agnė, Gintarė, Indrė, Justina, Milda, Monika, Austėja,
Gabija, Ugnė, Dovilė, Lukrecija, Rimantė, Birutė, Danutė, Irena, Genovaitė, Aldona, Ona, Reda,
Sigita, Loreta, Violeta, Edita, Jūratė, Raimonda, Vilija, Kotryna, Emilija, Paulina, Ema, Goda,
Akvilė
""")
LT_MALE = names("""
Tomas, Mantas, Darius, Mindaugas, Žydrūnas, Andrius, Jonas, Petras, Antanas, Vytautas,
Algirdas, Arūnas, Audrius, Gintaras, Kęstutis, Linas, Marius, Paulius, Rimantas, Saulius,
Vaidas, Lukas, Matas, Dominykas, Gediminas, Julius, Karolis, Nerijus, Ričardas, Žilvinas,
Egidijus, Valdas, Vidmantas, Deividas, Edvinas, Ignas, Jokūbas, Kajus, Modestas, Povilas,
Raimondas, Robertas, Rolandas, Tadas, Virgilijus, Aurimas, Donatas, Evaldas, Arvydas, Liudas
""")
LT_FAMILY_STEMS = names("""
Kazlausk, Jankausk, Petrausk, Stankevič, Vasiliausk, Žukausk, Butkev, Paulausk, Urbon,
Kavaliausk, Petrait, Balt, Kairys, Navick, Ramanausk, Sakalausk, Vaitkev, Jonait, Mockev,
Savick, Adomait, Bernot, Černiausk, Dambrausk, Grigal, Jurgel, Karpav, Lukoš, Mažeik, Rimkev
""")
LT_FAMILY_MIDDLES = ("", *names("ev, ul, in"))
LT_FAMILY_ENDINGS = names("as, is, us")
LT_FEMALE_ENDINGS = names("ienė, aitė, ytė")

HU_FAMILY_STEMS = names("""
Szeged, Debrecen, Pest, Buda, Győr, Pécs, Tokaj, Eger, Sopron, Baranya, Zala, Tolna, Vas,
Heves, Nógrád, Csongrád, Bihar, Szatmár, Bereg, Gömör, Kassa, Pozsony, Nyitra, Komárom,
Esztergom, Kalocsa, Kecskemét, Szolnok, Makó, Tisza, Duna, Mátra, Bakony, Szabolcs, Zemplén,
Abaúj
""")
HU_FAMILY_ENDINGS = names("i, y")

AL_FAMILY_STEMS = names("""
Gjon, Prek, Lul, Ded, Nik, Pal, Mark, Gjek, Kol, Tom, Ndu, Lek, Zef, Pjetr, Gjergj, Nrec, Bib,
Frrok, Mirash, Hasan, Osman, Rexh, Sel, Ism, Ibrahim, Shaban, Ram, Sal, Bajram, Zenel, Qerim,
Hajdar, Murat, Dervish, Haxh, Beqir, Brahim, Jakup, Mehmet
""")
AL_FAMILY_ENDINGS = names("aj, i, a, ollari, ku")

MA_FAMILY_PREFIXES = ("", "Ben", "El ", "Bou", "Aït ", "Ben ")
MA_FAMILY_ROOTS = names("""
Ali, Omar, Said, Brahim, Moussa, Aissa, Yahia, Driss, Slimane, Ahmed, Hassan, Karim, Mansour,
Salah, Khalil, Azzouz, Larbi, Jilali, Abbas, Kacem, Tahar, Miloud, Rahal, Hamou, Kaddour,
Mimoun, Abdallah, Youssef, Bachir, Hadi, Taleb, Zahir, Amar, Jaafar, Lahcen, Haddou, Allal
""")
MA_FAMILY_ENDINGS = ("", "i")

AF_FAMILY_STEMS = names("""
Ahmad, Noor, Karim, Rahim, Sultan, Aziz, Jafar, Haidar, Nazar, Amir, Qasem, Hakim, Sharif,
Rasul, Habib, Hamid, Latif, Mansoor, Nasir, Rahman, Sadiq, Yaqub, Zaman, Wahid, Omar, Ghafoor,
Akbar, Faiz, Stanek, Mohmand, Alokoz, Achak, Barak, Popal, Sahak, Ibrahim, Mohammad, Safi
""")
AF_FAMILY_ENDINGS = names("i, zai, zada, yar, khel")
